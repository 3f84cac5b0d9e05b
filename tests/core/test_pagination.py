import re

from django.core.paginator import Paginator
from django.template import Context, Template
from django.test import RequestFactory, SimpleTestCase


def render_pagination(number, *, count=200, per_page=10, query="q=cyber&kind=grant"):
    page = Paginator(range(count), per_page).page(number)
    request = RequestFactory().get(f"/support/?{query}&page={number}")
    return Template('{% include "includes/pagination.html" %}').render(
        Context({"page_obj": page, "request": request})
    )


def links(html):
    return re.findall(r'<a class="govuk-link govuk-pagination__link" href="([^"]+)"', html)


class PaginationTests(SimpleTestCase):
    def test_middle_page_shows_first_last_neighbours_and_ellipses(self):
        html = render_pagination(10)

        self.assertIn('<nav class="govuk-pagination" aria-label="Pagination">', html)
        numbers = re.findall(r'aria-label="Page (\d+)"', html)
        self.assertEqual(numbers, ["1", "9", "10", "11", "20"])
        self.assertEqual(html.count("govuk-pagination__item--ellipsis"), 2)
        self.assertIn('aria-label="Page 10" aria-current="page"', html)
        self.assertIn("govuk-pagination__item--current", html)

    def test_links_keep_the_other_query_parameters(self):
        html = render_pagination(10)

        self.assertEqual(links(html)[0], "?q=cyber&amp;kind=grant&amp;page=9")  # previous
        self.assertIn("?q=cyber&amp;kind=grant&amp;page=20", links(html))
        self.assertIn('rel="prev"', html)
        self.assertIn('rel="next"', html)

    def test_first_page_has_no_previous_and_last_page_no_next(self):
        self.assertNotIn('rel="prev"', render_pagination(1))
        self.assertIn('rel="next"', render_pagination(1))
        self.assertNotIn('rel="next"', render_pagination(20))

    def test_a_single_page_needs_no_pagination(self):
        self.assertEqual(render_pagination(1, count=5).strip(), "")

    def test_a_page_can_be_passed_by_another_name(self):
        page = Paginator(range(30), 10).page(2)
        request = RequestFactory().get("/opportunities/")
        html = Template('{% include "includes/pagination.html" with page=opportunities %}').render(
            Context({"opportunities": page, "request": request})
        )

        self.assertIn('aria-label="Page 2" aria-current="page"', html)
        self.assertIn('href="?page=3"', html)
