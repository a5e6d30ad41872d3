"""Short codes and upload sniffing."""

from app.rules.codes import ALPHABET, is_wellformed, new_code, normalize_code
from app.rules.files import matches_name, sniff


def test_codes_avoid_look_alike_characters():
    assert not set("01IOL") & set(ALPHABET)
    codes = {new_code() for _ in range(500)}
    assert len(codes) > 490
    assert all(is_wellformed(code) for code in codes)


def test_typed_codes_are_normalised():
    assert normalize_code(" ab-c 23d ") == "ABC23D"
    assert not is_wellformed("ABC23O")


def test_sniffing_recognises_pdf_png_jpeg_and_refuses_the_rest():
    assert sniff(b"%PDF-1.7\n") == ("application/pdf", "pdf")
    assert sniff(b"\x89PNG\r\n\x1a\n....") == ("image/png", "png")
    assert sniff(b"\xff\xd8\xff\xe0") == ("image/jpeg", "jpg")
    assert sniff(b"<html><script>") is None
    assert matches_name("budget.PDF", "pdf")
    assert matches_name("photo.jpeg", "jpg")
    assert not matches_name("budget.pdf.exe", "pdf")
