"""The working-day calendar and how deadlines read, for every app.

A pure library (no Django models): the lowest floor of the project, so the
SR core, the deadline clocks and the letters can all count working days
without depending on each other. `sla.calendar` re-exports the calendar as
the public API DESIGN §4 names."""
