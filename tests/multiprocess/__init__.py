"""Several real processes on one database (PostgreSQL): start-up, claims, leases, kills."""
