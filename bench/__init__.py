"""make bench: the page benchmark at national scale, and the bench-only settings it serves."""
