"""HaRry: registers approved schedules in the payroll system overnight and hands deviations to HR."""
