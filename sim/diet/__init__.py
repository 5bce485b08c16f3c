"""The Diet's calendar, pure: sessions, recesses, dissolutions, and days counted on them.

:class:`~sim.diet.calendar.DietCalendar` answers the questions the Act's Diet paragraphs ask
(in session? the House of Representatives dissolved? the Nth sitting day after?) in O(log n);
:mod:`~sim.diet.generator` draws a calendar fitted to the real one (:mod:`~sim.diet.fit`).
Nothing here knows about SimPy or the scenario files.
"""
