"""Forms of the support pages. They shape input; the rules are in ``support.services``."""

from __future__ import annotations

from collections.abc import Iterable

from django import forms
from django.urls import reverse

from .catalogue import CatalogueMovie
from .models import TEXT_MAX_LENGTH, Ticket
from .selectors import agent_list

NO_MOVIE_LABEL = "No particular movie"


def movie_choices(
    movies: Iterable[CatalogueMovie], selected: CatalogueMovie | None = None
) -> list[tuple[str, str]]:
    """Options for the movie picker: "no movie", the chosen movie, then the search results."""
    choices: list[tuple[str, str]] = [("", NO_MOVIE_LABEL)]
    seen: set[int] = set()
    for movie in ([selected] if selected else []) + list(movies):
        if movie.id in seen:
            continue
        seen.add(movie.id)
        choices.append((str(movie.id), movie.title))
    return choices


class TicketForm(forms.Form):
    """Report a problem. ``movie`` holds a catalogue id; the service checks it with /graphql/."""

    subject = forms.CharField(
        max_length=200,
        help_text="A one-line summary, such as “Wrong release year”.",
    )
    category = forms.ChoiceField(
        choices=[("", "Choose a category"), *Ticket.Category.choices],
        help_text="What the problem is about.",
    )
    movie_search = forms.CharField(
        label="Search the catalogue",
        required=False,
        max_length=200,
        help_text="Type part of a title, then pick the movie below.",
        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off"}),
    )
    movie = forms.IntegerField(
        label="Movie",
        required=False,
        min_value=1,
        help_text="The movie this is about, if any.",
        widget=forms.Select(choices=[("", NO_MOVIE_LABEL)]),
    )
    description = forms.CharField(
        max_length=TEXT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text="What is wrong, and what you expected instead.",
    )
    priority = forms.ChoiceField(
        choices=Ticket.Priority.choices,
        initial=Ticket.Priority.NORMAL,
        help_text="How much it gets in your way.",
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        # With htmx the picker's options follow the search box as the user types.
        self.fields["movie_search"].widget.attrs.update(
            {
                "hx-get": reverse("support:movie_options"),
                "hx-trigger": "input changed delay:300ms, search",
                "hx-target": "#movie-picker",
                "hx-include": "#id_movie",
                "hx-sync": "this:replace",
                "aria-controls": "id_movie",
            }
        )

    def set_movie_choices(self, choices: list[tuple[str, str]]) -> None:
        self.fields["movie"].widget.choices = choices


class ReplyForm(forms.Form):
    """A public reply; agents may tick ``internal`` to write a note only agents see."""

    body = forms.CharField(
        max_length=TEXT_MAX_LENGTH,
        label="Your message",
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    internal = forms.BooleanField(
        label="Internal note (only support agents see it; no email is sent)",
        required=False,
    )

    def __init__(self, *args, agent: bool = False, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if not agent:
            del self.fields["internal"]


class TransitionForm(forms.Form):
    """A status move, sent by the buttons on the ticket page."""

    status = forms.ChoiceField(choices=Ticket.Status.choices)


class AssignForm(forms.Form):
    """Give the ticket to a support agent, or to nobody."""

    assignee = forms.ModelChoiceField(
        queryset=None,
        required=False,
        empty_label="Nobody (unassigned)",
        label="Assignee",
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["assignee"].queryset = agent_list()
        self.fields["assignee"].label_from_instance = lambda user: user.get_username()


class TicketUpdateForm(forms.Form):
    """Priority and category, as an agent sets them."""

    priority = forms.ChoiceField(choices=Ticket.Priority.choices)
    category = forms.ChoiceField(choices=Ticket.Category.choices)
