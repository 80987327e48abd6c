"""The unattended jobs' domain: when each job is due, what each did (its runs), and what each sends."""
