"""Steps the browser tests share: screen sizes, the app's own words, logging in, a phone, a fake camera."""

import re

import qrcode
from flask_babel import force_locale, gettext, ngettext
from PIL import Image
from playwright.sync_api import expect

from tests.helpers import PASSWORD

TABLET = {"width": 1024, "height": 768}
PHONE = {"width": 360, "height": 640}
FRAME = (640, 480)
SCAN_REGION = 300  # px of the frame the code takes, quiet zone included: inside qr-scanner's 320 px square
CAMERA_ARGS = ["--use-fake-ui-for-media-stream", "--use-fake-device-for-media-stream"]


def in_locale(app, locale, message, **variables):
    """`message` (a msgid or a lazy string) as the app translates it into `locale`."""
    with app.test_request_context(), force_locale(locale):
        return gettext(message, **variables) if isinstance(message, str) else str(message)


def in_locale_n(app, locale, singular, plural, num, **variables):
    """The plural form for `num` as the app translates it into `locale`."""
    with app.test_request_context(), force_locale(locale):
        return ngettext(singular, plural, num, **variables)


def in_english(app, message, **variables):
    """`message` (a msgid or a lazy string) as the app shows it in English."""
    return in_locale(app, "en", message, **variables)


def has_class(name):
    """A pattern for `to_have_class` that matches one class among several."""
    return re.compile(rf"(^|\s){re.escape(name)}(\s|$)")


def log_in(page, server, username):
    """Log in through the form and wait for the header's log-out button."""
    page.goto(server.url("/login"))
    page.fill("#username", username)
    page.fill("#password", PASSWORD)
    page.click("main form button[type=submit]")  # the header's language buttons are submit buttons too
    expect(page.locator("header.site button.link")).to_be_visible()  # the log-out button


def fill_budget_hearing(page, titles, day, venue="Айыл өкмөтүнүн чоң залы"):
    """The new-hearing form: a budget hearing on `day`, 10:00-12:00, step-free and with a childcare corner."""
    page.select_option("#kind", "budget_draft")
    for locale, title in titles.items():
        page.fill(f"#title_{locale}", title)
    page.fill("#date", day.isoformat())
    page.fill("#start_time", "10:00")
    page.fill("#end_time", "12:00")
    page.fill("#venue", venue)
    page.check("input[name=step_free][value=yes]")
    page.check("input[name=childcare][value=yes]")


def phone_context(browser, **options):
    """A 360x640 touch phone with a browser in US English (the app picks the municipality's language)."""
    return browser.new_context(viewport=PHONE, locale="en-US", is_mobile=True, has_touch=True, **options)


def assert_fits_phone(page):
    """Nothing sticks out sideways on a 360 px screen."""
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


def write_y4m(path, text, frames=10):
    """A 640x480 grey video of `text` as a QR code, in the format Chromium's fake camera plays."""
    code = qrcode.QRCode(border=4, error_correction=qrcode.constants.ERROR_CORRECT_M, box_size=1)
    code.add_data(text)
    code.make(fit=True)
    qr = code.make_image(fill_color="black", back_color="white").get_image().convert("L")
    # qr-scanner decodes only its scan region, the centred square of 2/3 of the shorter side (320 px
    # here, marked on screen): a code that fills the frame is cut off there and never read.
    side = SCAN_REGION // qr.width * qr.width
    qr = qr.resize((side, side), Image.NEAREST)
    frame = Image.new("L", FRAME, 128)
    frame.paste(qr, ((FRAME[0] - side) // 2, (FRAME[1] - side) // 2))
    luma = frame.tobytes()
    chroma = bytes([128]) * (FRAME[0] // 2 * FRAME[1] // 2)
    with open(path, "wb") as out:
        out.write(f"YUV4MPEG2 W{FRAME[0]} H{FRAME[1]} F10:1 Ip A1:1 C420jpeg\n".encode())
        for _ in range(frames):
            out.write(b"FRAME\n" + luma + chroma + chroma)
    return frame
