"""A listing's text on Welsh and English pages (portal/lib/bilingual.py and its
template filters): Welsh when there is some, else English marked lang="en"."""

import pytest
from django.template import engines
from django.utils import translation
from django.utils.html import conditional_escape

from portal.lib.bilingual import Localised, localised

OFFER = {"title": "Export grant", "title_cy": "Grant allforio", "summary": "Money <fast>"}


def render(source: str, **context) -> str:
    template = engines["django"].from_string("{% load bilingual %}" + source)
    return template.render(context)


def test_english_pages_show_the_english_text_even_when_welsh_is_there():
    with translation.override("en-gb"):
        assert localised(OFFER, "title") == Localised("Export grant")


def test_welsh_pages_show_the_welsh_text_when_there_is_some():
    with translation.override("cy"):
        assert localised(OFFER, "title") == Localised("Grant allforio")


@pytest.mark.parametrize("welsh", ["", "   ", None])
def test_welsh_pages_fall_back_to_english_and_say_so(welsh):
    with translation.override("cy"):
        text = localised({**OFFER, "summary_cy": welsh}, "summary")

    assert text == Localised("Money <fast>", fell_back=True)
    assert text.lang == "en"
    assert str(text) == "Money <fast>"
    assert conditional_escape(text) == '<span lang="en">Money &lt;fast&gt;</span>'


def test_nothing_in_either_language_is_not_marked():
    with translation.override("cy"):
        assert localised({"description": ""}, "description") == Localised("")


def test_a_model_instance_is_read_like_a_mapping():
    class Listing:
        title = "Cloud hosting"
        title_cy = "Gwe-letya yn y cwmwl"

    with translation.override("cy"):
        assert localised(Listing(), "title").text == "Gwe-letya yn y cwmwl"


def test_the_filters_on_a_welsh_page():
    source = (
        '<h2>{{ o|localised:"title" }}</h2><p>{{ o|localised:"summary" }}</p>'
        '<div{{ o|localised_lang:"summary" }}>{{ o|localised_text:"summary" }}</div>'
    )
    with translation.override("cy"):
        html = render(source, o=OFFER)

    assert html == (
        '<h2>Grant allforio</h2><p><span lang="en">Money &lt;fast&gt;</span></p>'
        '<div lang="en">Money &lt;fast&gt;</div>'
    )


def test_the_filters_leave_english_pages_as_they_were():
    source = (
        '<h2>{{ o|localised:"title" }}</h2>'
        '<div{{ o|localised_lang:"summary" }}>{{ o|localised_text:"summary" }}</div>'
    )
    with translation.override("en-gb"):
        html = render(source, o=OFFER)

    assert html == "<h2>Export grant</h2><div>Money &lt;fast&gt;</div>"


def test_welsh_text_is_escaped_too():
    with translation.override("cy"):
        html = render('{{ o|localised:"title" }}', o={"title": "x", "title_cy": "<b>Helo</b>"})

    assert html == "&lt;b&gt;Helo&lt;/b&gt;"
