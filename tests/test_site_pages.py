"""The site's own pages and the HTML repairs of publishing (no browser needed)."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from regiopole.pipeline import publish, site

ROOT = Path(__file__).resolve().parents[1]


def test_frames_get_the_title_of_the_page_they_show() -> None:
    frame = ('<iframe srcdoc="&lt;html lang=&quot;de&quot;&gt;&lt;title&gt;Karte der Region&lt;/title&gt;'
             '&lt;a title=&quot;x&quot;&gt;" style="border:none"></iframe>')
    fixed = publish.accessible(f"<main>{frame}<iframe src='b.html'></iframe><iframe title='Schon da' src='c'></iframe></main>")
    assert '<iframe title="Karte der Region" srcdoc=' in fixed  # a title= inside the srcdoc does not count
    assert "<iframe title=\"Interaktive Karte\" src='b.html'>" in fixed
    assert fixed.count("title=") == 4  # 2 added, the one there kept, the one inside srcdoc untouched


def test_only_outputs_with_a_table_stay_tab_stops() -> None:
    page = ('<div class="jp-Cell jp-CodeCell"><div class="jp-Cell-inputWrapper" tabindex="0">x</div>'
            '<div class="jp-RenderedText jp-OutputArea-output" tabindex="0"><pre>text</pre></div></div>'
            '<div class="jp-Cell jp-CodeCell"><div class="jp-RenderedHTMLCommon jp-OutputArea-output" tabindex="0">'
            '<table><tr><td>1</td></tr></table></div></div>')
    fixed = publish.accessible(page)
    assert fixed.count('tabindex="0"') == 1 and 'jp-OutputArea-output" tabindex="0"><table>' in fixed


def test_site_settings_are_read_and_checked(tmp_path: Path) -> None:
    config = site.site_config(ROOT)
    assert config["feedback"]["email"] and config["statement_date"].count(".") == 2
    broken = tmp_path / site.SITE_CONFIG
    broken.parent.mkdir(parents=True)
    settings = yaml.safe_load((ROOT / site.SITE_CONFIG).read_text(encoding="utf-8"))
    del settings["feedback"]["email"]
    broken.write_text(yaml.safe_dump(settings, allow_unicode=True), encoding="utf-8")
    with pytest.raises(ValueError, match=r"site.yaml: missing or wrong settings feedback.email"):
        site.site_config(tmp_path)


def test_footer_says_the_date_in_words_without_folders_or_commits() -> None:
    line = site.footer({"start": "2024-05-03T14:07:00+02:00", "data": {"example": True, "dir": "data/example"},
                        "git": {"commit": "0123456789abcdef", "dirty": True}})
    assert line == "Stand: 03.05.2024, 14:07 Uhr"


def test_pdf_dates_are_fixed_without_moving_bytes() -> None:
    from regiopole.pipeline.pdf import _fixed_dates

    data = b"1 0 obj << /CreationDate (D:20261201214000+00'00') /ModDate (D:20261201214000+00'00') >>"
    fixed = _fixed_dates(data)
    assert len(fixed) == len(data) and b"2026" not in fixed and fixed.count(b"D:19800101000000Z") == 2
