"""Forms of the catalogue pages.

The movie list's controls are ``MovieFilter``'s own form fields (same names, parsing
and messages as the REST and GraphQL filters); this module only dresses them for the
page: widgets, labels of the sort options and the crispy layout.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Any

from crispy_forms.helper import FormHelper
from crispy_forms.layout import HTML, Column, Field, Layout, Row
from django import forms

from movies.filters import MOVIE_ORDERING_CHOICES, MovieFilter

# How the page names each of MovieFilter's orderings; the values stay MovieFilter's.
ORDERING_LABELS = {
    "-created_at": "Newest first",
    "created_at": "Oldest first",
    "-rating": "Highest rated",
    "rating": "Lowest rated",
    "title": "Title A–Z",
    "-title": "Title Z–A",
    "-release_date": "Newest releases",
    "release_date": "Oldest releases",
    "-members_rating": "Members' favourites",
    "members_rating": "Members' lowest rated",
    "runtime": "Shortest",
    "-runtime": "Longest",
}
# What the menu's empty choice (no ``ordering``) gives: with a search, title matches first, each part ranked
# (movies.search); without one every movie matches alike, so newest first.
DEFAULT_ORDERING_LABEL = "Best match, then newest"


def _ordering_choices() -> list[tuple[str, str]]:
    """MovieFilter's orderings, labelled for people, in the order of ``ORDERING_LABELS``."""
    rank = {value: index for index, value in enumerate(ORDERING_LABELS)}
    choices = sorted(MOVIE_ORDERING_CHOICES, key=lambda choice: rank.get(choice[0], len(rank)))
    return [(value, ORDERING_LABELS.get(value, label)) for value, label in choices]


#: The list's filters that fold away on phones (everything but the search).
MORE_FILTERS = ("genre", "actor", "director", "min_rating", "year_from", "year_to", "ordering")


class MovieBrowseForm(forms.Form):
    """Search box, filters and sort of the movie list (a GET form).

    ``genre_choices`` is a callable giving ``(value, label)`` pairs for the genre menu;
    it is only called when the menu is rendered, so HTMX fragments cost no query for it.
    """

    FIELDS = (
        "search",
        "genre",
        "actor",
        "director",
        "min_rating",
        "year_from",
        "year_to",
        "ordering",
    )

    def __init__(
        self,
        data: Mapping[str, Any] | None = None,
        *,
        genre_choices: Callable[[], Iterable[tuple[str, str]]] = list,
        **kwargs: Any,
    ) -> None:
        super().__init__(data, **kwargs)
        filter_fields = MovieFilter().form.fields
        for name in self.FIELDS:
            self.fields[name] = filter_fields[name]

        search = self.fields["search"]
        search.label = "Search movies"
        search.help_text = "Words in the title or the plot."
        search.widget = forms.TextInput(
            attrs={"type": "search", "placeholder": "Title or plot…", "autocomplete": "off"}
        )

        genre = self.fields["genre"]
        genre.label = "Genre"
        genre.help_text = ""
        genre.widget = forms.Select(
            choices=lambda: [("", "All genres"), *genre_choices()],
        )

        actor = self.fields["actor"]
        actor.label = "Actor"
        actor.help_text = ""
        actor.widget = forms.TextInput(
            attrs={"placeholder": "Part of a name", "autocomplete": "off"}
        )

        director = self.fields["director"]
        director.label = "Director"
        director.help_text = ""
        director.widget = forms.TextInput(
            attrs={"placeholder": "Part of a name", "autocomplete": "off"}
        )

        for name, label in (("year_from", "From year"), ("year_to", "To year")):
            year = self.fields[name]
            year.label = label
            year.help_text = ""
            year.widget = forms.NumberInput(
                attrs={"min": "1", "max": "9999", "step": "1", "inputmode": "numeric"}
            )

        min_rating = self.fields["min_rating"]
        min_rating.label = "Minimum rating"
        min_rating.help_text = ""
        min_rating.widget = forms.NumberInput(
            attrs={
                "min": "0",
                "max": "5",
                "step": "0.5",
                "placeholder": "0 – 5",
                "inputmode": "decimal",
            }
        )

        ordering = self.fields["ordering"]
        ordering.label = "Sort by"
        ordering.help_text = ""
        ordering.choices = _ordering_choices()
        ordering.empty_label = None
        # The menu offers the default order as "", so it stays out of shared URLs. It is
        # not "-created_at" when searching (best match first), so that one is offered too.
        ordering.widget.choices = [("", DEFAULT_ORDERING_LABEL), *ordering.choices]

        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True
        # The filters other than the search sit in a <details>: on a phone they stay
        # folded behind "Filters" (no JavaScript needed) so the first screen shows movies;
        # wide screens show them open (site.css, and site.js for older browsers).
        opened = " open" if any(self.data.get(name) for name in MORE_FILTERS) else ""
        self.helper.layout = Layout(
            Field("search"),
            HTML(
                f'<details class="filters-more"{opened}>'
                '<summary class="btn btn-outline-secondary btn-sm filters-more__toggle">'
                "Filters</summary>"
            ),
            Row(
                Column("genre", css_class="col-12 col-sm-6 col-lg-3"),
                Column("actor", css_class="col-12 col-sm-6 col-lg-3"),
                Column("director", css_class="col-12 col-sm-6 col-lg-3"),
                Column("ordering", css_class="col-12 col-sm-6 col-lg-3"),
                css_class="pt-2",
            ),
            Row(
                Column("min_rating", css_class="col-4 col-lg-3"),
                Column("year_from", css_class="col-4 col-lg-3"),
                Column("year_to", css_class="col-4 col-lg-3"),
            ),
            HTML("</details>"),
        )

    def filters(self) -> dict[str, str]:
        """The submitted values of the fields that are valid and not empty, as given.

        They go to ``selectors.movie_list(filters=...)``, which runs ``MovieFilter`` on
        them; a field with an error is left out (its message shows on the form) so the
        other filters still apply.
        """
        if not self.is_bound:
            return {}
        self.is_valid()
        return {
            name: value.strip()
            for name in self.FIELDS
            if name not in self.errors
            and isinstance(value := self.data.get(name, ""), str)
            and value.strip()
        }
