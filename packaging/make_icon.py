"""Draws the application icon: a white 子 on a rounded orange square.

The outputs (resources/icons/kodomo-desktop.png and .ico) are committed; run this
only to change the design: `uv run --with pillow python packaging/make_icon.py`.
It needs BIZ UDGothic Bold (or IPAexGothic) installed, for the glyph.
"""

from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

ICONS = Path(__file__).resolve().parents[1] / "resources" / "icons"
FONTS = ("BIZUDGothic-Bold.ttf", "ipaexg.ttf")
FONT_DIRS = (Path("/usr/share/fonts"), Path.home() / ".local/share/fonts", Path("C:/Windows/Fonts"))
BACKGROUND = (232, 110, 40)
ICO_SIZES = [(s, s) for s in (16, 20, 24, 32, 40, 48, 64, 128, 256)]
SCALE = 1024  # drawn large, then scaled down for smooth edges


def find_font() -> Path:
    for name in FONTS:
        for folder in FONT_DIRS:
            found = next(folder.rglob(name), None) if folder.is_dir() else None
            if found:
                return found
    raise SystemExit(f"none of {FONTS} found in {FONT_DIRS}")


def draw() -> Image.Image:
    image = Image.new("RGBA", (SCALE, SCALE), (0, 0, 0, 0))
    pen = ImageDraw.Draw(image)
    margin = SCALE // 32
    pen.rounded_rectangle((margin, margin, SCALE - margin, SCALE - margin), radius=SCALE // 5, fill=BACKGROUND)
    font = ImageFont.truetype(str(find_font()), int(SCALE * 0.68))
    left, top, right, bottom = pen.textbbox((0, 0), "子", font=font)
    # centre the ink, not the font's line box, which sits the glyph low
    pen.text(((SCALE - left - right) / 2, (SCALE - top - bottom) / 2), "子", font=font, fill="white")
    return image


def main() -> None:
    ICONS.mkdir(parents=True, exist_ok=True)
    image = draw()
    image.resize((256, 256), Image.Resampling.LANCZOS).save(ICONS / "kodomo-desktop.png", optimize=True)
    image.resize((256, 256), Image.Resampling.LANCZOS).save(ICONS / "kodomo-desktop.ico", sizes=ICO_SIZES)


if __name__ == "__main__":
    main()
