-- Runs once when the compose PostgreSQL volume is created: a database for the self-hosted Inngest server.
CREATE DATABASE inngest;
