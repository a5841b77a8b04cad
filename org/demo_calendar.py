"""The demo's calendar: seed 000's plan of 2020 laid on the twelve months around the day it is seeded.

The plan was written for 2020 (印发 2020年4月10日, goals such as "2020 年 10 月前"). The demo runs it
as a campaign of twelve months chosen so that, whatever the day, at least two months have been
dispatched and one month is open for filling:

- the working month is the earliest month whose dispatch day (the 5th of the next month) has not
  come yet: on 7 December that is December, on 3 December still November;
- the campaign covers the working month's calendar year when the working month is March or later,
  otherwise March of the year before to February (a January or February demo keeps the months of
  the year behind it as its dispatched months, and that year gets its year-end assessment);
- the plan's dated goals move to the same month and day of the campaign's year (its first year).

Every app's demo reads this one calendar, so the records, the months and the plan agree.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, timedelta

# The plan's own year and the campaign's rules the demo keeps (report by the 3rd, dispatch on the 5th).
PLAN_YEAR = 2020
REPORT_DUE_DAY = 3
DISPATCH_DAY = 5


def month_end(first: date) -> date:
    return first.replace(day=calendar.monthrange(first.year, first.month)[1])


def add_months(first: date, months: int) -> date:
    index = first.year * 12 + first.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


@dataclass(frozen=True)
class DemoCalendar:
    """The demo's months as of `today`."""

    today: date

    @property
    def working_month(self) -> date:
        """The first day of the earliest month not yet dispatched on `today`."""
        this = self.today.replace(day=1)
        last = add_months(this, -1)
        if month_end(last) + timedelta(days=DISPATCH_DAY) > self.today:
            return last
        return this

    @property
    def start(self) -> date:
        working = self.working_month
        if working.month >= 3:
            return date(working.year, 1, 1)
        return date(working.year - 1, 3, 1)

    @property
    def end(self) -> date:
        return month_end(add_months(self.start, 11))

    @property
    def year(self) -> int:
        """The campaign's year: the plan's 2020 becomes this year."""
        return self.start.year

    def months(self) -> list[date]:
        """The first days of the campaign's twelve months."""
        return [add_months(self.start, n) for n in range(12)]

    def dispatched_months(self) -> list[date]:
        """The months before the working month: filled, reviewed and dispatched."""
        return [m for m in self.months() if m < self.working_month]

    def open_months(self) -> list[date]:
        """The working month and, in the first days of a month, the month just begun."""
        return [m for m in self.months() if self.working_month <= m <= self.today]

    def plan_date(self, day: date) -> date:
        """A date of the plan's 2020 moved to the campaign's year (29 February to the 28th)."""
        year = self.year + day.year - PLAN_YEAR
        last = calendar.monthrange(year, day.month)[1]
        return date(year, day.month, min(day.day, last))

    def due(self, month: date) -> date:
        return month_end(month) + timedelta(days=REPORT_DUE_DAY)

    def dispatch_on(self, month: date) -> date:
        return month_end(month) + timedelta(days=DISPATCH_DAY)

    def spans_year_end(self) -> int | None:
        """The year whose December has been dispatched inside the campaign, if any."""
        for month in self.dispatched_months():
            if month.month == 12:
                return month.year
        return None
