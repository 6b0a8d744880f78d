"""Pure contracts shared by the Django apps and the pure packages (no Django, no Kompis app imports)."""
