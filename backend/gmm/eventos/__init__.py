"""Real-time events: published on a Redis Stream, delivered to the SPA as Server-Sent Events."""
