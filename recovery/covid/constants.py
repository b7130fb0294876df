"""Words of Covid controls. Importable without models."""

from django.db import models


class PpeItem(models.TextChoices):
    """The items of personal protective equipment whose stock is counted against need."""

    FFP3_MASKS = "ffp3_masks", "FFP3 respirator masks"
    SURGICAL_MASKS = "surgical_masks", "Type IIR surgical masks"
    GLOVES = "gloves", "Disposable gloves (pairs)"
    APRONS = "aprons", "Disposable aprons"
    GOWNS = "gowns", "Fluid-resistant gowns"
    VISORS = "visors", "Visors and eye protection"
    HAND_SANITISER = "hand_sanitiser", "Hand sanitiser (litres)"
