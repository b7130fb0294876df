"""Recovery planning and assurance service for prisons, youth custody and probation."""
