"""Each lead's state (D6) and next step (D5-D7), vectorised over the cohort frame."""
from __future__ import annotations

import numpy as np
import pandas as pd

from sheetsync.i18n import t

SOON_DAYS = 3          # a follow-up this close is "soon" (amber in the sheet), judged by the night
ANSWERED = ("in_dialogue", "meeting", "offer", "yes", "no")
IN_DIALOGUE = ("in_dialogue", "meeting", "offer")


def processed(frame: pd.DataFrame, max_attempts: int = 3) -> pd.Series:
    """D6: a Yes, a No, or `max_attempts` attempts that never got an answer."""
    no_answer = frame["stage"].isin(("new", "attempted")) & (frame["attempts"] >= max_attempts)
    return frame["stage"].isin(("yes", "no")) | no_answer


def contacted(frame: pd.DataFrame) -> pd.Series:
    return (frame["attempts"] > 0) | frame["stage"].isin(ANSWERED)


def state_labels(frame: pd.DataFrame, language: str) -> pd.Series:
    """'LIA' / 'bearbetad' / 'öppen' per lead, in the student's language."""
    done = processed(frame)
    labels = np.where(frame["stage"] == "yes", t("state.lia", language),
                      np.where(done, t("state.processed", language), t("state.open", language)))
    return pd.Series(labels, index=frame.index)


def next_steps(frame: pd.DataFrame, now, language: str) -> pd.Series:
    """The next thing to do with each lead, with a date when one is agreed."""
    today = pd.Timestamp(now)
    done = processed(frame)
    stage, tries, follow = frame["stage"], frame["attempts"], frame["follow_up"]
    fmt = follow.dt.strftime("%Y-%m-%d").fillna("")
    unread = frame["follow_up_unread"].notna() if "follow_up_unread" in frame else False
    secured = frame["student"].isin(frame.loc[stage == "yes", "student"].unique())   # the hunt is over
    soon = follow.notna() & (follow >= today) & (follow <= today + pd.Timedelta(days=SOON_DAYS))
    conditions = [
        stage == "yes",
        stage == "no",
        secured,
        done,
        stage.isin(IN_DIALOGUE) & follow.notna() & (follow < today),
        stage.isin(IN_DIALOGUE) & soon,
        stage.isin(IN_DIALOGUE) & follow.notna(),
        ~done & unread,               # booked in words (FU05): first a date we can all read
        stage.isin(IN_DIALOGUE),
        soon,
        follow.notna() & (follow >= today),
        tries > 0,
    ]
    choices = [
        "", "", "",
        t("next.new_contact", language),
        t("next.overdue", language) + " " + fmt,
        t("next.soon", language) + " " + fmt,
        t("next.follow_up", language) + " " + fmt,
        t("next.write_date", language),
        t("next.agree_follow_up", language),
        t("next.soon", language) + " " + fmt,
        t("next.follow_up", language) + " " + fmt,
        t("next.try_again", language),
    ]
    steps = pd.Series(np.select(conditions, choices, default=t("next.call_first", language)),
                      index=frame.index)
    retry = steps == t("next.try_again", language)
    if retry.any():                       # D6: before giving up, try a channel not used yet
        steps[retry] = [_untried(c, language) for c in frame.loc[retry, "channels"]]
    return steps


CHANNEL_ORDER = ("phone", "email", "linkedin")    # D5: phone first


def _untried(channels, language: str) -> str:
    used = set(channels.split(",")) if isinstance(channels, str) and channels else set()
    if not used:
        return t("next.try_again", language)
    for channel in CHANNEL_ORDER:
        if channel not in used:
            return t("next.try_channel", language, channel=t(f"channel.{channel}", language))
    return t("next.try_again", language)


def quality_mask(frame: pd.DataFrame, require_category: bool = True) -> pd.Series:
    """A quality lead: a company, a contact path and (by default) a category."""
    path = (frame["contact_name"].notna() | frame["phone"].notna() | frame["email"].notna()
            | frame["linkedin"].notna())
    mask = frame["company"].notna() & path
    return mask & frame["category"].notna() if require_category else mask


LOST_IN_DRAW = "lost_in_draw"      # set by the judge on a frame judged again after the draw


def quality_leads(frame: pd.DataFrame, require_category: bool = True,
                  lost: pd.Series | None = None) -> pd.Series:
    """The leads that count toward the target: quality leads, each company once per
    student (a duplicate row is the same company, not a second lead), none the student
    lost in the draw (`lost`: the rows LC01 flagged; a company they must give up is not
    theirs to count). The one definition the summary, the master and PR01 share."""
    mask = quality_mask(frame, require_category)
    if lost is None and LOST_IN_DRAW in frame:
        lost = frame[LOST_IN_DRAW]
    if lost is not None:
        mask = mask & ~lost
    if mask.any():
        repeat = frame.loc[mask].duplicated(["student", "company_key"])
        mask = mask.copy()
        mask.loc[repeat.index[repeat.to_numpy()]] = False
    return mask


# each a lead's present stage, so the numbers add up: a meeting that became an offer is
# an offer, no longer a meeting (labels: i18n "sum.<name>", the same in every tab)
COUNTS = ("leads", "quality", "warm", "contacted", "processed", "dialogue", "meetings", "offers", "lia")


def counts_per_student(frame: pd.DataFrame, lost: pd.Series | None = None,
                       **extra: pd.Series) -> dict[str, dict[str, int]]:
    """Each student's lead counts (COUNTS, plus any `extra` boolean columns), in one
    grouped pass: per-student pandas selections cost seconds at 1,000 students."""
    if not len(frame):
        return {}
    flags = pd.DataFrame({
        "student": frame["student"], "leads": 1, "quality": quality_leads(frame, lost=lost),
        "warm": frame["temperature"] == "warm", "contacted": contacted(frame),
        "processed": processed(frame), "dialogue": frame["stage"].isin(IN_DIALOGUE),
        "meetings": frame["stage"] == "meeting", "offers": frame["stage"] == "offer",
        "lia": frame["stage"] == "yes", **extra})
    sums = flags.groupby("student", sort=False).sum()
    return {s: {k: int(v) for k, v in row.items()} for s, row in sums.to_dict("index").items()}


def lost_rows(frame: pd.DataFrame, found: pd.DataFrame) -> pd.Series:
    """Which of `frame`'s leads the student lost in the draw (see same_company)."""
    cap = found[found["code"] == "LC01"] if len(found) else found
    if not len(cap):
        return pd.Series(False, index=frame.index)
    rows = set(zip(cap["student"].tolist(), cap["row"].astype("int64").tolist()))
    return same_company(frame, pd.Series([p in rows for p in zip(frame["student"].tolist(),
                                                                  frame["row"].tolist())],
                                         index=frame.index, dtype=bool))


def same_company(frame: pd.DataFrame, on_row: pd.Series) -> pd.Series:
    """The rows `on_row` (an LC01 finding on each) and every other row of the same
    student's same company, a duplicate or an ended one: a company lost in the draw is
    no longer the student's to count."""
    known = frame["company_key"].notna()
    key = frame["student"].astype(str) + "\x1f" + frame["company_key"].astype(str)
    return on_row | (known & key.isin(set(key[on_row & known])))
