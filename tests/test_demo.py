"""The demo data a newcomer sees after `make run`."""

from app.extensions import db
from app.hearings.models import Hearing
from app.municipalities.models import Municipality
from tests.helpers import login


def test_seed_demo_loads_two_municipalities_an_announced_and_a_published_hearing(app, client):
    runner = app.test_cli_runner()
    result = runner.invoke(args=["seed-demo", "--if-empty"])
    assert result.exit_code == 0, result.output
    assert "clerk-kumbel / demo-hearing-2026" in result.output
    municipalities = db.session.scalars(db.select(Municipality).order_by(Municipality.country)).all()
    assert [(m.country, len(m.settlements) >= 5) for m in municipalities] == [("KG", True), ("UZ", True)]
    hearing, held = db.session.scalars(db.select(Hearing).order_by(Hearing.id)).all()
    assert hearing.state == "announced" and hearing.languages == ["ky", "ru"]
    assert held.state == "published" and held.justifications == []  # every requirement met: nothing to excuse
    results = client.get(f"/h/{held.public_code}/results").get_data(as_text=True)
    assert "48" in results and "Ак-Булак мектебине таза суу" in results
    again = runner.invoke(args=["seed-demo", "--if-empty"])
    assert "already has data" in again.output
    assert db.session.scalar(db.select(db.func.count(Municipality.id))) == 2
    assert login(client, "clerk-kumbel", "demo-hearing-2026").status_code == 302
    assert "2027" in client.get("/manage/kumbel/hearings").get_data(as_text=True)
