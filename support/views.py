"""The support desk's pages. Every page works without JavaScript; HTMX swaps fragments.

Views read through ``support.selectors`` and write through ``support.services``;
they only pick templates, forms and messages.
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from core.forms import add_service_errors
from core.pages import paginate, render_page, wants_fragment
from users import selectors as member_selectors

from . import selectors, services
from .catalogue import CatalogueUnavailable, get_catalogue
from .filters import TicketFilter
from .forms import (
    AssignForm,
    ReplyForm,
    TicketForm,
    TicketUpdateForm,
    TransitionForm,
    movie_choices,
)
from .models import Ticket
from .throttles import page_write_wait

PAGE_SIZE = 25
PICKER_LIMIT = 15

# Queue columns that sort, in display order: (ordering key, column heading).
QUEUE_COLUMNS = [
    ("reference", "Ticket"),
    ("subject", "Subject"),
    ("status", "Status"),
    ("priority", "Priority"),
    ("created_at", "Filed"),
    ("updated_at", "Updated"),
]

# The words on the status buttons, by the status they move to.
TRANSITION_LABELS = {
    Ticket.Status.OPEN: "Reopen ticket",
    Ticket.Status.WAITING_ON_CUSTOMER: "Wait for the customer",
    Ticket.Status.RESOLVED: "Mark resolved",
    Ticket.Status.CLOSED: "Close ticket",
}


def _transition_label(ticket: Ticket, status: str) -> str:
    if ticket.status == Ticket.Status.NEW and status == Ticket.Status.OPEN:
        return "Open ticket"
    return TRANSITION_LABELS[status]


# Report a problem, and its movie picker


def _picker_context(*, search: str = "", selected_id: int | str | None = None) -> dict[str, object]:
    """The movie picker's options: the chosen movie and what ``search`` finds, via GraphQL."""
    catalogue = get_catalogue()
    selected = None
    results: list = []
    error = ""
    try:
        search = TicketForm.base_fields["movie_search"].clean(search)
    except ValidationError as exc:  # a NUL byte, or far too long
        search, error = "", " ".join(exc.messages)
    try:
        if selected_id:
            selected = catalogue.movie(selected_id)
        if search.strip():
            # The same suggestions as the site's search box (searchSuggestions).
            results = catalogue.suggest(search.strip(), limit=PICKER_LIMIT)
    except CatalogueUnavailable as exc:
        error = exc.message
    return {
        "movie_options": movie_choices(results, selected),
        "selected_movie_id": str(selected.id) if selected else "",
        "picker_search": search.strip(),
        "picker_results": results,
        "picker_error": error,
    }


def _too_many(wait: int) -> str:
    return f"You are writing faster than we allow. Please try again in {wait} seconds."


@login_required
@require_http_methods(["GET", "POST"])
def ticket_create(request: HttpRequest) -> HttpResponse:
    """Report a problem. ``?movie=<id>`` chooses the movie (from a movie page's link)."""
    wait = None
    if request.method == "POST" and "search_movies" not in request.POST:
        form = TicketForm(request.POST)
        wait = page_write_wait(request, "ticket_create") if form.is_valid() else None
        if wait is not None:
            form.add_error(None, _too_many(wait))
        if form.is_valid():
            data = form.cleaned_data
            try:
                ticket = services.ticket_create(
                    requester=request.user,
                    subject=data["subject"],
                    description=data["description"],
                    category=data["category"],
                    priority=data["priority"],
                    movie_id=data["movie"],
                )
            except ValidationError as error:
                add_service_errors(form, error, {"movie_id": "movie"})
            except CatalogueUnavailable as exc:
                form.add_error("movie", exc.message)
            else:
                messages.success(request, f"Thank you. Your ticket {ticket.reference} is filed.")
                return redirect("support:ticket_detail", ticket_id=ticket.pk)
        picker = _picker_context(
            search=request.POST.get("movie_search", ""), selected_id=request.POST.get("movie")
        )
    elif request.method == "POST":
        # "Search movies" without JavaScript: show the form again with what was found.
        form = TicketForm(initial=request.POST.dict())
        picker = _picker_context(
            search=request.POST.get("movie_search", ""), selected_id=request.POST.get("movie")
        )
    else:
        movie_id = request.GET.get("movie", "")
        form = TicketForm(initial={"movie": movie_id})
        picker = _picker_context(selected_id=movie_id if movie_id.isdigit() else None)
        if movie_id and not picker["selected_movie_id"] and not picker["picker_error"]:
            messages.warning(request, "That movie is not in the catalogue; choose another below.")
    form.set_movie_choices(picker["movie_options"])
    status = 429 if request.method == "POST" and wait is not None else 200
    return render(request, "support/ticket_form.html", {"form": form, **picker}, status=status)


@login_required
@require_GET
def movie_options(request: HttpRequest) -> HttpResponse:
    """The movie picker, searched as the user types (``movie_search``; ``movie`` stays chosen)."""
    picker = _picker_context(
        search=request.GET.get("movie_search", ""), selected_id=request.GET.get("movie")
    )
    form = TicketForm(initial={"movie": picker["selected_movie_id"]})
    form.set_movie_choices(picker["movie_options"])
    return render(request, "support/ticket_form.html#movie-picker", {"form": form, **picker})


# Lists: "My tickets" and the agents' queue


def _sort_columns(current: str) -> list[dict[str, str | None]]:
    """Each sortable column: the ordering its link asks for and how the list is sorted now."""
    columns = []
    for key, label in QUEUE_COLUMNS:
        if current == key:
            sort, next_ordering = "ascending", f"-{key}"
        elif current == f"-{key}":
            sort, next_ordering = "descending", key
        else:
            sort, next_ordering = None, key
        columns.append({"key": key, "label": label, "sort": sort, "ordering": next_ordering})
    return columns


@login_required
@require_GET
def home(request: HttpRequest) -> HttpResponse:
    """The navbar's Support link: agents land on the queue, everyone else on their tickets."""
    return redirect("support:queue" if selectors.is_agent(request.user) else "support:ticket_list")


@login_required
@require_GET
def ticket_list(request: HttpRequest) -> HttpResponse:
    """My tickets: the ones the user filed, newest first, filterable by status and words."""
    filterset = TicketFilter(
        request.GET or None,
        queryset=selectors.ticket_list(user=request.user, mine=True),
        request=request,
    )
    context = {
        "filterset": filterset,
        **paginate(request, filterset.qs, per_page=PAGE_SIZE),
        "is_agent": selectors.is_agent(request.user),
    }
    return render_page(request, "support/ticket_list.html", context)


@login_required
@require_GET
def queue(request: HttpRequest) -> HttpResponse:
    """The agents' queue: every ticket, searchable, filterable, sortable and paginated."""
    if not selectors.is_agent(request.user):
        raise PermissionDenied("The queue is for support agents.")
    filterset = TicketFilter(
        request.GET or None, queryset=selectors.ticket_list(user=request.user), request=request
    )
    ordering = request.GET.get("ordering", "") if filterset.is_bound else ""
    if ordering and "ordering" in filterset.errors:
        ordering = ""
    movies = selectors.ticket_movie_choices(user=request.user)
    filterset.form.fields["movie"].widget = forms.Select(
        choices=[("", "Any movie")] + [(str(movie_id), title) for movie_id, title in movies]
    )
    context = {
        "filterset": filterset,
        **paginate(request, filterset.qs, per_page=PAGE_SIZE),
        "columns": _sort_columns(ordering),
        "ordering": ordering,
    }
    return render_page(request, "support/queue.html", context)


# The agents' dashboard

CHART_WIDTH, CHART_HEIGHT, CHART_SLOT = 600, 160, 20


def _chart(daily: list[dict]) -> dict[str, object]:
    """Bar geometry for the inline SVG: per day an "opened" and a "resolved" bar."""
    top = max([max(row["opened"], row["resolved"]) for row in daily] + [1])
    plot = CHART_HEIGHT - 20  # room for the day labels under the bars
    bars = []
    for i, row in enumerate(daily):
        x = i * CHART_SLOT
        opened_h = round(row["opened"] * plot / top, 1)
        resolved_h = round(row["resolved"] * plot / top, 1)
        bars.append(
            {
                **row,
                "x_opened": x + 2,
                "x_resolved": x + 10,
                "y_opened": plot - opened_h,
                "y_resolved": plot - resolved_h,
                "h_opened": opened_h,
                "h_resolved": resolved_h,
                "label_x": x + CHART_SLOT / 2,
                "labelled": (len(daily) - 1 - i) % 7 == 0,  # weekly, ending today
            }
        )
    return {
        "bars": bars,
        "top": top,
        "width": CHART_SLOT * len(daily),
        "height": CHART_HEIGHT,
        "baseline": plot,
        "label_y": CHART_HEIGHT - 4,
    }


@login_required
@require_GET
def dashboard(request: HttpRequest) -> HttpResponse:
    """The agents' dashboard: open tickets, the last 30 days drawn, and median times."""
    if not selectors.is_agent(request.user):
        raise PermissionDenied("The dashboard is for support agents.")
    stats = selectors.dashboard_stats()
    return render(request, "support/dashboard.html", {**stats, "chart": _chart(stats["daily"])})


# One ticket


def _ticket_or_404(request: HttpRequest, ticket_id: int) -> Ticket:
    ticket = selectors.ticket_get(user=request.user, ticket_id=ticket_id)
    if ticket is None:
        raise Http404("No such ticket.")
    return ticket


def _detail_context(request: HttpRequest, ticket: Ticket, **forms) -> dict[str, object]:
    agent = selectors.is_agent(request.user)
    statuses = selectors.next_statuses(user=request.user, ticket=ticket)
    context: dict[str, object] = {
        "ticket": ticket,
        "is_agent": agent,
        "is_requester": ticket.requester_id == request.user.pk,
        "comments": list(selectors.comment_list(user=request.user, ticket=ticket)),
        "transitions": [(status, _transition_label(ticket, status)) for status in statuses],
        "can_reply": selectors.can_reply(user=request.user, ticket=ticket),
        "reply_form": forms.get("reply_form") or ReplyForm(agent=agent),
    }
    if agent:
        context["events"] = list(selectors.event_list(ticket=ticket))
        context["assign_form"] = forms.get("assign_form") or AssignForm(
            initial={"assignee": ticket.assignee_id}
        )
        context["update_form"] = forms.get("update_form") or TicketUpdateForm(
            initial={"priority": ticket.priority, "category": ticket.category}
        )
    return context


def _movie_card(ticket: Ticket) -> dict[str, object]:
    """The ticket's movie as the catalogue knows it now (full pages only)."""
    if ticket.movie_id is None:
        return {}
    try:
        return {"catalogue_movie": get_catalogue().movie(ticket.movie_id), "movie_checked": True}
    except CatalogueUnavailable as exc:
        return {"catalogue_error": exc.message}


def _render_ticket(request: HttpRequest, ticket: Ticket, **forms) -> HttpResponse:
    context = _detail_context(request, ticket, **forms)
    if not wants_fragment(request):
        context.update(_movie_card(ticket))
    return render_page(request, "support/ticket_detail.html", context, fragment="ticket")


def _done(request: HttpRequest, ticket: Ticket, message: str) -> HttpResponse:
    """After a change: the fresh fragment for HTMX, else back to the page (post/redirect/get)."""
    messages.success(request, message)
    if wants_fragment(request):
        ticket = _ticket_or_404(request, ticket.pk)
        return _render_ticket(request, ticket)
    return redirect("support:ticket_detail", ticket_id=ticket.pk)


def _refused(request: HttpRequest, ticket: Ticket, error: ValidationError | str) -> HttpResponse:
    text = " ".join(error.messages) if isinstance(error, ValidationError) else error
    messages.error(request, text)
    if wants_fragment(request):
        return _render_ticket(request, ticket)
    return redirect("support:ticket_detail", ticket_id=ticket.pk)


@login_required
@require_GET
def ticket_detail(request: HttpRequest, ticket_id: int) -> HttpResponse:
    """A ticket: its conversation, the reply form, and for agents the controls and history."""
    return _render_ticket(request, _ticket_or_404(request, ticket_id))


@login_required
@require_POST
def ticket_reply(request: HttpRequest, ticket_id: int) -> HttpResponse:
    """Add a reply (or, for agents, an internal note)."""
    ticket = _ticket_or_404(request, ticket_id)
    form = ReplyForm(request.POST, agent=selectors.is_agent(request.user))
    wait = page_write_wait(request, "ticket_comment") if form.is_valid() else None
    if wait is not None:
        form.add_error(None, _too_many(wait))
    if form.is_valid():
        internal = form.cleaned_data.get("internal", False)
        try:
            services.comment_add(
                ticket=ticket,
                author=request.user,
                body=form.cleaned_data["body"],
                internal=internal,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            return _done(request, ticket, "Internal note added." if internal else "Reply sent.")
    return _render_ticket(request, ticket, reply_form=form)


@login_required
@require_POST
def ticket_transition(request: HttpRequest, ticket_id: int) -> HttpResponse:
    """Move the ticket to the status of the button pressed, if the status map allows it."""
    ticket = _ticket_or_404(request, ticket_id)
    form = TransitionForm(request.POST)
    if not form.is_valid():
        return _refused(request, ticket, "Choose a valid status.")
    try:
        ticket = services.ticket_transition(
            ticket=ticket, user=request.user, status=form.cleaned_data["status"]
        )
    except ValidationError as error:
        return _refused(request, ticket, error)
    return _done(request, ticket, f"The ticket is now {ticket.get_status_display().lower()}.")


def _agent_ticket_or_404(request: HttpRequest, ticket_id: int) -> Ticket:
    ticket = _ticket_or_404(request, ticket_id)
    if not selectors.is_agent(request.user):
        raise PermissionDenied("Only support agents can do this.")
    return ticket


@login_required
@require_POST
def ticket_assign(request: HttpRequest, ticket_id: int) -> HttpResponse:
    """Assign the ticket to an agent ("Assign to me" posts the agent's own id)."""
    ticket = _agent_ticket_or_404(request, ticket_id)
    form = AssignForm(request.POST)
    if not form.is_valid():
        return _render_ticket(request, ticket, assign_form=form)
    assignee = form.cleaned_data["assignee"]
    try:
        services.ticket_assign(ticket=ticket, actor=request.user, assignee=assignee)
    except ValidationError as error:
        add_service_errors(form, error, {"assignee_id": "assignee"})
        return _render_ticket(request, ticket, assign_form=form)
    who = "you" if assignee == request.user else (assignee.get_username() if assignee else "nobody")
    return _done(request, ticket, f"The ticket is assigned to {who}.")


@login_required
@require_POST
def ticket_update(request: HttpRequest, ticket_id: int) -> HttpResponse:
    """Change the ticket's priority and category."""
    ticket = _agent_ticket_or_404(request, ticket_id)
    form = TicketUpdateForm(request.POST)
    if not form.is_valid():
        return _render_ticket(request, ticket, update_form=form)
    services.ticket_update(ticket=ticket, actor=request.user, **form.cleaned_data)
    return _done(request, ticket, "Priority and category saved.")


@login_required
@require_POST
def ticket_review(request: HttpRequest, ticket_id: int) -> HttpResponse:
    """Hide (``hidden=true``) or restore (``false``) the review a ticket reports. Agents only."""
    ticket = _agent_ticket_or_404(request, ticket_id)
    if ticket.review is None:
        return _refused(request, ticket, "This ticket reports no review.")
    hidden = request.POST.get("hidden")
    if hidden not in ("true", "false"):
        return _refused(request, ticket, "Choose to hide or to restore the review.")
    services.review_set_hidden(
        review=ticket.review, hidden=hidden == "true", actor=request.user, ticket=ticket
    )
    done = (
        "The review is hidden from readers." if hidden == "true" else "The review is visible again."
    )
    return _done(request, ticket, done)


@require_POST
def review_report(request: HttpRequest, review_id: int) -> HttpResponse:
    """Report a member review from the movie page (POST ``reason``): a support ticket,
    once a member a review. Back to the movie page with a message; an anonymous visitor
    is sent to log in first."""
    review = member_selectors.review_visible(review_id=review_id, viewer=request.user)
    if review is None:
        raise Http404("No such review.")
    back = reverse("movies:detail", args=[review.movie_id]) + "#reviews"
    if not request.user.is_authenticated:
        return redirect_to_login(back)
    try:
        _ticket, created = services.review_report(
            reporter=request.user, review=review, reason=request.POST.get("reason", "")
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    except CatalogueUnavailable as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request,
            "Thank you: support will look at this review."
            if created
            else "You have already reported this review; support has it.",
        )
    return HttpResponseRedirect(back)
