"""`/milestone help`: an overview of every verb, and detail per topic."""

from __future__ import annotations

from bot.core.text import escape_mrkdwn
from bot.render.message import Message, build_message, context, header, section

# Help is our own text, but it shows placeholders like <date>: escape_mrkdwn keeps Slack from reading them
# as links or mentions.

_OVERVIEW = [
    (
        "add",
        "/milestone add Launch beta due Dec 15 owner @alice budget $5,000",
        "add a milestone; `every month` (or week, quarter) makes it repeat",
    ),
    (
        "list",
        "/milestone list",
        "open milestones here, soonest first; also `mine`, `overdue`, `dept <name>`…",
    ),
    ("show", "/milestone show 12", "every field and the history of changes"),
    ("update", "/milestone update 12 due Jan 10 because vendor late", "revise; the reason is kept"),
    ("done", "/milestone done 12 cost $5,200", "record when it finished and what it cost"),
    ("delete", "/milestone delete 12", "remove it (asks first)"),
    ("review", "/milestone review", "post this week's review and revise now"),
    (
        "settings",
        "/milestone settings workdays sun-thu holidays IL",
        "the channel's time zone, working days, holidays, reminders and review",
    ),
    ("away", "/milestone away until Dec 20", "you're away: no pings, reviews don't wait for you"),
    ("report", "/milestone report dept Marketing", "plan vs actual, with a timeline chart"),
    ("export", "/milestone export csv", "the channel's milestones as CSV or a calendar (ics)"),
    ("import", "/milestone import", "add many at once from a CSV milestone table"),
]


_TOPICS: dict[str, tuple[str, list[str]]] = {
    "add": (
        "Add a milestone",
        [
            "`/milestone add <title> [due <date>] [start <date>] [owner @user] "
            "[budget <amount>] [dept <name>] [every week|month|quarter]`",
            "• Only the title is needed. Quote it when it holds a keyword: "
            '`/milestone add "Open store by the station" due Mar 1`',
            "• `by` works like `due`; a bare @mention is the owner; an amount like `$5,000` is the budget.",
            "• `every week`, `every month` or `every quarter` makes it repeat: once done, the next one is "
            "created with the same fields, due a period later (a month after Jan 31 is Feb 28).",
            "• `/milestone add` on its own opens a form with date and people pickers and a *Repeats* menu.",
            "• From any message: its ⋯ menu → *Make a milestone* opens the form with the message as the "
            "title and keeps a link back to it; *New milestone* in the shortcuts menu opens it anywhere.",
            "• Several at once: one milestone per line after `add` (Shift+Enter for a new line), up to 50; "
            "the channel gets one summary.",
            "Example: `/milestone add Launch beta due Dec 15 owner @alice budget $5,000 dept Marketing`",
        ],
    ),
    "list": (
        "List milestones",
        [
            "`/milestone list` — this channel's open milestones, soonest due first.",
            "• `mine` yours · `overdue` past due · `upcoming` due soon · `done` finished · `all` everything",
            "• `@user` someone's milestones · `dept <name>` one department",
            "Example: `/milestone list dept Marketing`",
        ],
    ),
    "show": (
        "Show one milestone",
        [
            "`/milestone show <number>` — every field, plan vs actual, and the history: "
            "who changed what, when, and why.",
            "• An open one gets a forecast from the team's record: _likely Jan 9, between Jan 4 and Jan 20, "
            "from 14 past milestones_ (its owner's finished ones, else its department's, else everyone's).",
            "Numbers work as `12` or `#12`. Example: `/milestone show 12`",
        ],
    ),
    "update": (
        "Revise a milestone",
        [
            "`/milestone update <number> [title <text>] [due <date>] [start <date>] [owner @user] "
            "[budget <amount>] [dept <name>] [status on-track|at-risk|blocked] "
            "[every week|month|quarter|none] [after <number>|none] [because <reason>]`",
            "• Every change is kept with who, when and why; `/milestone show` lists them.",
            "• `every none` stops it repeating.",
            "• `after 3`: it comes after #3, so it can't be due before #3; when #3 moves past it, its owner "
            "is told in the channel. `after none` removes it; `add … after 3` works too.",
            "• The first due date stays as the plan, so a slip shows as _planned Dec 15, slipped 5 days_.",
            "• `/milestone update 12` on its own opens a form.",
            "Example: `/milestone update 12 due Jan 10 status at-risk because vendor late`",
        ],
    ),
    "done": (
        "Mark a milestone done",
        [
            "`/milestone done <number> [on <date>] [cost <amount>]` — without `on`, it was done today.",
            "• The answer compares the date with the plan and the cost with the budget.",
            "Example: `/milestone done 12 on Dec 14 cost $5,200`",
        ],
    ),
    "delete": (
        "Delete a milestone",
        [
            "`/milestone delete <number>` asks first, then removes the milestone and its history.",
            "• Its owner, whoever added it, or a workspace admin can delete it.",
            "Example: `/milestone delete 12`",
        ],
    ),
    "review": (
        "The weekly review and revise",
        [
            "Every Monday at 09:00 (channel time, on the next working day if Monday is off) the channel gets "
            "one message: a line per open milestone with its due date, owner and latest status, and one "
            "*Review my milestones* button.",
            "• The button opens a form with your milestones: on track, at risk, blocked or done, a new date "
            "with a reason, a note. Own none? Add a note or flag a risk on any; its owner is mentioned.",
            "• Owners also get the button by DM, and one reminder the next working day if they have not "
            "answered (`settings review dm off`, `settings chase off`). People who are away are skipped.",
            "• Replies in its thread are kept as notes: mention `#12` to put a note on a milestone.",
            "• With each answer you may say how sure you are, 5 (certain) to 1 (unlikely): `show` gives the "
            "trend, and a fall of 2 or more is called out in the next review.",
            "• `/milestone review` posts this week's review now, if it is not up yet.",
            "Example: `/milestone review`",
        ],
    ),
    "settings": (
        "Channel settings",
        [
            "`/milestone settings` opens a form; or say what to change, several at once:",
            "• `timezone Europe/Berlin` · `reminders 7,1,0 at 09:30` (days before the due date; `off`: none)",
            "• `review fri 16:00` · `pause` · `resume`",
            "• `workdays mon-fri` (also `sun-thu`, `mon,tue,thu`) · `holidays US` "
            "(a country's public holidays; `none`)",
            "• `review dm on|off` (owners get the review by DM) · `chase on|off` "
            "(one reminder the next working day to owners who have not answered)",
            "• `reminders to channel|owner|both` (`owner`: by DM to the milestone's owner); each reminder "
            "has *Remind me tomorrow* and *Next week* buttons",
            "• `overdue on|off` (the nudge the day after the due date, if not done)",
            "• `escalate after 3 days to @maya` (1–30 working days overdue with no new date: one DM to them "
            "and one line here, once per due date) · `escalate off`",
            "Nothing is posted on a day off: a reminder comes the working day before, an overdue nudge and a "
            "review the working day after.",
            "Example: `/milestone settings workdays sun-thu holidays IL reminders to both`",
        ],
    ),
    "away": (
        "Away",
        [
            "`/milestone away until <date>` — up to and including that day, reminders about your milestones "
            "don't ping you, reviews don't wait for you or DM you, and nobody chases you.",
            "• `/milestone away off` when you're back early; `/milestone away` says whether you're away.",
            "• The date is read in your time zone, like every date: `Dec 20`, `next friday`, `2026-12-20`.",
            "Example: `/milestone away until Dec 20`",
        ],
    ),
    "report": (
        "Plan vs actual",
        [
            "`/milestone report [all|dept <name>|owner @user] [since <date>]` — this channel's by default.",
            "• First: on time so far, what is late, budget vs actual; then Late, At risk, On plan, Done.",
            "• Each milestone: planned date against now or finished, how often its plan changed, money.",
            "• Each open one: when it is likely done, from how late the team's finished ones were; "
            "one likely late is under At risk before it is late.",
            "• The timeline picture is in the report itself.",
            "• Only you see it until you press *Share to channel*.",
            "Example: `/milestone report dept Marketing since Jan 1`",
        ],
    ),
    "export": (
        "Export",
        [
            "`/milestone export csv` — every field and the revision count, for a spreadsheet.",
            "`/milestone export ics` — due dates as all-day events for Google Calendar or Outlook; "
            "importing again updates them instead of adding copies.",
            "The file comes in a direct message. Example: `/milestone export ics`",
        ],
    ),
    "import": (
        "Import",
        [
            "`/milestone import` opens a form for a CSV shaped like a plan's milestone table: "
            "Milestone, Start Date, End Date, Budget, Manager, Department; also Repeats (`every month`) "
            "and After (the Number of the row it comes after), as `/milestone export csv` writes them.",
            "• You see a preview with every row's problems first; nothing is added until you confirm, "
            "and then all rows or none.",
            "Example: `/milestone import`",
        ],
    ),
    "dates": (
        "Dates",
        [
            "• `2026-12-15` · `Dec 15` · `15 Dec 2026`",
            "• `tomorrow` · `next friday` · `in 3 weeks` · `end of month`",
            "Dates are read in your time zone. An impossible date is an error, never a guess.",
            "A due date without a year whose nearest reading has passed (`Nov 27` on Nov 30): I ask which "
            "you mean, the one gone by (already overdue) or the next, and save nothing until you choose.",
            "Example: `/milestone update 12 due next friday`",
        ],
    ),
    "budget": (
        "Budgets and costs",
        [
            "• `$5,000` · `5000 EUR` · `€3k` · `1.5m` · `USD 250` — no currency means USD.",
            "Example: `/milestone update 12 budget 12000 EUR`",
        ],
    ),
    "status": (
        "Statuses",
        [
            "⚪ Open · 🟢 On track · 🟡 At risk · 🔴 Blocked · ✅ Done · ⚫ Cancelled",
            "• Set one with `status on-track`, `at-risk` or `blocked`; `/milestone done` closes a milestone.",
            "Example: `/milestone update 12 status blocked because waiting on legal`",
        ],
    ),
}
_ALIASES = {"date": "dates", "money": "budget", "cost": "budget", "amounts": "budget", "statuses": "status",
            "workdays": "settings", "holidays": "settings", "vacation": "away"}  # fmt: skip


def help_message(topic: str | None) -> Message:
    """The overview of every verb, or detail on one topic (`add`, `dates`, `update`…); unknown → overview."""
    key = (topic or "").strip().lower()
    key = _ALIASES.get(key, key)
    if key not in _TOPICS:
        return _overview()
    title, lines = _TOPICS[key]
    body = escape_mrkdwn("\n".join(lines))
    blocks = [header(title), section(body), context("All commands: `/milestone help`")]
    return build_message(text=f"Milestone Bot help: {title}", blocks=blocks)


def _overview() -> Message:
    """Every verb with one example each."""
    verbs = "\n".join(f"*{verb}* `{example}` — {what}" for verb, example, what in _OVERVIEW)
    tips = escape_mrkdwn(
        "Numbers work as `12` or `#12`. More on one topic: `/milestone help add`, "
        "`help list`, `help update`, `help done`, `help review`, `help settings`, `help away`, "
        "`help dates`, `help budget`."
    )
    blocks = [
        header("Milestone Bot"),
        section(
            "Keep the plan's milestones here: add them, revise them as things change, see plan vs actual."
        ),
        section(escape_mrkdwn(verbs)),
        context(tips),
    ]
    return build_message(text="Milestone Bot: what /milestone can do", blocks=blocks)
