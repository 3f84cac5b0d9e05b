"""GOV.UK's date input (portal/lib/dateinput.py): day, month and year boxes, read into
one date, with the Design System's error messages; and the forms that use it."""

import datetime

import pytest
from django import forms
from django.urls import reverse
from django.utils import timezone

from portal.lib.dateinput import DateField, DateTimeField, parts_in_error
from tests.catalogue.test_curation_views import csrf_client, post
from tests.catalogue.test_offer_permissions import offer_form_data
from tests.factories import council_a, create_council_a_curator, create_offer


class ClosingForm(forms.Form):
    closes = DateField(label="Closes", subject="Closing date", required=False)


def boxes(day="", month="", year=""):
    return {"closes_day": day, "closes_month": month, "closes_year": year}


def errors_for(data):
    form = ClosingForm(data)
    assert not form.is_valid()
    return form.errors["closes"]


def test_a_valid_date_is_read():
    form = ClosingForm(boxes("27", "3", "2027"))
    assert form.is_valid()
    assert form.cleaned_data["closes"] == datetime.date(2027, 3, 27)


def test_nothing_entered_is_no_date():
    form = ClosingForm(boxes())
    assert form.is_valid()
    assert form.cleaned_data["closes"] is None


@pytest.mark.parametrize(
    ("day", "month", "year"),
    [("31", "2", "2027"), ("29", "2", "2027"), ("1", "13", "2027"), ("x", "1", "2027")],
)
def test_an_impossible_date_must_be_a_real_date(day, month, year):
    assert errors_for(boxes(day, month, year)) == ["Closing date must be a real date"]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (boxes("1", "", "2027"), "Closing date must include a month"),
        (boxes("", "3", "2027"), "Closing date must include a day"),
        (boxes("1", "3", ""), "Closing date must include a year"),
        (boxes("", "", "2027"), "Closing date must include a day and month"),
    ],
)
def test_a_missing_part_is_named(data, message):
    assert errors_for(data) == [message]


def test_a_year_needs_4_numbers():
    assert errors_for(boxes("1", "3", "27")) == ["Closing date must include a year with 4 numbers"]


@pytest.mark.parametrize("year", ["1999", "2100", "2207"])
def test_a_date_out_of_range_names_the_range(year):
    assert errors_for(boxes("1", "3", year)) == [
        "Closing date must be between 1 January 2000 and 31 December 2099"
    ]


def test_a_required_date_asks_for_one():
    field = DateField(label="Closes", subject="Closing date")
    with pytest.raises(forms.ValidationError, match="Enter a date"):
        field.clean(["", "", ""])


def test_an_iso_date_in_the_fields_own_name_is_read():
    form = ClosingForm({"closes": "2027-03-27"})
    assert form.is_valid()
    assert form.cleaned_data["closes"] == datetime.date(2027, 3, 27)


def test_only_the_boxes_in_error_are_marked():
    assert parts_in_error(["1", "", "2027"]) == {"month"}
    assert parts_in_error(["", "", "2027"]) == {"day", "month"}
    assert parts_in_error(["1", "3", "27"]) == {"year"}
    assert parts_in_error(["31", "2", "2027"]) == {"day", "month", "year"}


def test_the_boxes_show_a_date_without_leading_zeros():
    html = str(ClosingForm(initial={"closes": datetime.date(2027, 3, 1)})["closes"])
    assert 'name="closes_day" value="1"' in html
    assert 'name="closes_month" value="3"' in html
    assert 'name="closes_year" value="2027"' in html


def test_a_field_in_error_is_a_govuk_date_input_with_only_the_missing_box_marked():
    html = ClosingForm(boxes("1", "", "2027"))["closes"].as_field_group()
    assert '<fieldset class="govuk-fieldset" aria-describedby="id_closes_helptext' in html
    assert 'class="govuk-date-input"' in html
    assert "For example, 27 3 2027" in html
    month = html[html.index('name="closes_month"') :].split(">", 1)[0]
    day = html[html.index('name="closes_day"') :].split(">", 1)[0]
    assert "govuk-input--error" in month and 'aria-invalid="true"' in month
    assert "govuk-input--error" not in day and "aria-invalid" not in day


class DeadlineForm(forms.Form):
    deadline = DateTimeField(label="Deadline", subject="Deadline for tenders")


def moment(day="", month="", year="", time=""):
    return {
        "deadline_day": day,
        "deadline_month": month,
        "deadline_year": year,
        "deadline_time": time,
    }


def test_a_date_and_time_is_read_in_uk_time():
    form = DeadlineForm(moment("30", "6", "2027", "12:00"))
    assert form.is_valid(), form.errors
    deadline = form.cleaned_data["deadline"]
    assert timezone.is_aware(deadline)
    assert timezone.localtime(deadline).strftime("%Y-%m-%d %H:%M") == "2027-06-30 12:00"


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (moment("30", "6", "2027", ""), "Deadline for tenders must include a time"),
        (
            moment("30", "6", "2027", "25:00"),
            "Deadline for tenders must include a real time, like 12:00 or 17:30",
        ),
        (moment("31", "6", "2027", "12:00"), "Deadline for tenders must be a real date"),
        (moment(), "Enter a date"),
    ],
)
def test_a_date_and_time_says_what_is_wrong(data, message):
    form = DeadlineForm(data)
    assert not form.is_valid()
    assert form.errors["deadline"] == [message]


def test_a_deadline_is_shown_again_in_uk_time():
    summer_noon = datetime.datetime(2027, 6, 30, 11, 0, tzinfo=datetime.UTC)
    html = str(DeadlineForm(initial={"deadline": summer_noon})["deadline"])
    assert 'name="deadline_day" value="30"' in html
    assert 'name="deadline_time" value="12:00"' in html
    assert 'class="govuk-input govuk-date-input__input govuk-input--width-5"' in html


@pytest.mark.django_db
class TestTheOfferForm:
    """The curator's offer form: its dates are GOV.UK date inputs."""

    @pytest.fixture
    def client(self):
        return csrf_client(create_council_a_curator())

    @pytest.fixture
    def offer(self):
        return create_offer(curator=council_a(), title="Made in Gateshead")

    def edit(self, client, offer, **dates):
        url = reverse("catalogue:offer-edit", kwargs={"public_id": offer.public_id})
        return post(client, url, offer_form_data(offer, **dates))

    def test_the_form_shows_day_month_and_year_boxes(self, client, offer):
        offer.closes = datetime.date(2027, 3, 27)
        offer.save(update_fields=["closes"])
        response = client.get(
            reverse("catalogue:offer-edit", kwargs={"public_id": offer.public_id})
        )
        html = response.content.decode()
        for name in ("closes_day", "closes_month", "closes_year", "opens_day", "next_intake_day"):
            assert f'name="{name}"' in html
        assert 'type="date"' not in html
        assert 'name="closes_day" value="27"' in html

    def test_31_february_is_not_a_real_date_and_what_was_typed_is_shown_again(self, client, offer):
        response = self.edit(client, offer, closes_day="31", closes_month="2", closes_year="2027")

        html = response.content.decode()
        assert "Closing date must be a real date" in html
        assert "govuk-error-summary" in html
        assert 'href="#id_closes_0"' in html
        assert 'name="closes_day" value="31"' in html
        assert 'name="closes_month" value="2"' in html
        offer.refresh_from_db()
        assert offer.closes is None

    def test_a_missing_month_is_named(self, client, offer):
        response = self.edit(client, offer, opens_day="1", opens_month="", opens_year="2027")
        assert "Opening date must include a month" in response.content.decode()
        offer.refresh_from_db()
        assert offer.opens is None

    def test_a_date_out_of_range_is_refused(self, client, offer):
        response = self.edit(client, offer, closes_day="1", closes_month="3", closes_year="2207")
        assert (
            "Closing date must be between 1 January 2000 and 31 December 2099"
            in response.content.decode()
        )
        offer.refresh_from_db()
        assert offer.closes is None

    def test_a_valid_date_saves(self, client, offer):
        response = self.edit(client, offer, closes_day="27", closes_month="3", closes_year="2027")
        assert response.status_code == 302
        offer.refresh_from_db()
        assert offer.closes == datetime.date(2027, 3, 27)
