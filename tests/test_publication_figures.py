"""The published attendance figures: small cells hidden, complements marked, nothing recoverable."""

from app.publication.figures import attendance_figures
from app.registration import service as registration
from app.rules.suppression import recoverable


def test_small_cells_show_as_under_the_threshold_and_cannot_be_worked_out(make):
    kumbel = make.municipality(settlements=("Kumbel", "Ak-Bulak"))
    clerk = make.user("aigul", kumbel, "clerk")
    hearing = make.hearing(kumbel, state="announced", days=0)
    young, adult = kumbel.age_bands[1].id, kumbel.age_bands[2].id
    people = [("female", young)] * 3 + [("female", adult)] * 9 + [("male", young)] * 8 + [("male", adult)] * 7
    for number, (gender, band) in enumerate(people):
        settlement = kumbel.settlements[number % 4 == 0].id  # Ak-Bulak sorts first: 7 there, 20 in Kumbel
        details = registration.PersonDetails(gender=gender, age_band_id=band, settlement_id=settlement)
        registration.walk_in(hearing, details, clerk)
    figures = attendance_figures(hearing)
    row = [band_id for band_id, _ in figures.bands].index(young)
    female = figures.genders.index("female")
    assert figures.label(("cell", row, female)) == "<5"
    assert figures.label(("total",)) == "27"
    assert not recoverable(figures.table)
    assert figures.women in ("12", "×")
    assert dict(figures.settlements) == {"Ak-Bulak": "7", "Kumbel": "20"} and figures.settlement_total == "27"
