"""The minutes PDF: Kyrgyz and Uzbek letters survive in every language, the figures are there, page 1 is drawn."""

import glob
import io
import subprocess

import pytest
from PIL import Image
from pypdf import PdfReader

from app.extensions import db
from app.minutes.models import Question
from tests.helpers import login
from tests.test_minutes import build_hearing

KYRGYZ = {
    "country": "KG", "slug": "zhany-zhol", "name": "Жаңы-Жол", "settlements": ("Көл", "Бүтүн"),
    "titles": {"ky": "Бүтүн бюджет боюнча угуу", "ru": "Слушания по бюджету Жаңы-Жол"},
    "question": "Көпүрө качан оңдолот?",
}  # fmt: skip
UZBEK = {
    "country": "UZ", "slug": "yangiyol", "name": "Yangiyoʻl", "settlements": ("Togʻ", "Qoʻrgʻon"),
    "titles": {"uz": "Yangiyoʻl tumani byudjet tinglovi"}, "question": "Togʻ yoʻli qachon taʼmirlanadi?",
}  # fmt: skip
LANGUAGES = ("ky", "ru", "uz", "en")


def pdf_text(data: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def first_page_png(data: bytes, tmp_path) -> Image.Image:
    """Page 1 drawn by poppler's pdftoppm at 50 dpi."""
    source = tmp_path / "minutes.pdf"
    source.write_bytes(data)
    subprocess.run(["pdftoppm", "-png", "-r", "50", "-f", "1", "-l", "1", str(source), str(tmp_path / "page")],
                   check=True, timeout=60)  # fmt: skip
    [png] = glob.glob(str(tmp_path / "page*.png"))
    return Image.open(png).convert("L")


@pytest.mark.parametrize(
    ("place", "letters"),
    [(KYRGYZ, ("ң", "ө", "ү", "Жаңы-Жол", "Көл", "Бүтүн", "Көпүрө")),
     (UZBEK, ("oʻ", "gʻ", "Yangiyoʻl", "Togʻ", "Qoʻrgʻon"))],
    ids=["kyrgyz", "uzbek"],
)  # fmt: skip
def test_the_minutes_pdf_keeps_the_letters_and_the_figures_in_every_language(client, make, tmp_path, place, letters):
    world = build_hearing(make, **place)
    login(client, world.clerk.username)
    for lang in LANGUAGES:
        response = client.get(f"{world.url}.pdf?lang={lang}")
        assert response.status_code == 200 and response.mimetype == "application/pdf", lang
        text = pdf_text(response.data)
        for letters_or_name in letters:
            assert letters_or_name in text, (lang, letters_or_name)
        assert "23" in text and "<5" in text, lang  # checked in, and the 3 girls aged 14-17 suppressed
        assert "Asel Toktosunova" in text and "Road to the school" in text, lang
        assert "\ufffd" not in text and "□" not in text, lang


def test_page_one_of_the_pdf_is_drawn_with_ink(client, make, tmp_path):
    world = build_hearing(make, **KYRGYZ)
    login(client, world.clerk.username)
    image = first_page_png(client.get(f"{world.url}.pdf?lang=ky").data, tmp_path)
    darkest, lightest = image.getextrema()
    assert darkest < 60 and lightest > 200  # black text on white paper
    dark = sum(image.histogram()[:128])
    assert dark > 0.003 * image.width * image.height  # more than a stray line: text on the page
    assert image.width < image.height  # A4 portrait


def test_a_long_protocol_breaks_into_numbered_pages(client, make):
    world = build_hearing(make, **UZBEK)
    for number in range(60):
        db.session.add(Question(hearing_id=world.hearing.id, text=f"Savol {number}: yoʻl, suv, maktab?",
                                asker_gender="male", answer="Javob " * 30))  # fmt: skip
    db.session.commit()
    login(client, world.clerk.username)
    reader = PdfReader(io.BytesIO(client.get(f"{world.url}.pdf?lang=en").data))
    pages = len(reader.pages)
    assert pages > 2
    assert f"Page 2 of {pages}" in reader.pages[1].extract_text()
    assert "Signature" in reader.pages[-1].extract_text()
