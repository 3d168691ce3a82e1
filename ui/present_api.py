"""Dutch texts of the REST API (`beleidsbank serve`): what each error status says."""

from __future__ import annotations

API_ERRORS = {
    400: "Het verzoek kan niet worden gelezen.",
    401: "Niet ingelogd: stuur een geldig API-token mee (Authorization: Bearer TOKEN; beleidsbank user token NAAM).",
    403: "U mag dit niet.",
    404: "Niet gevonden.",
    405: "Deze methode kan hier niet worden gebruikt.",
    413: "Het verzoek is te groot (hoogstens {limit}).",
    422: "Een parameter klopt niet.",
    429: "Te veel verzoeken; probeer het over {seconds} seconden opnieuw.",
    500: "Er ging iets mis op de server; het verzoek is niet uitgevoerd.",
}
MODEL_UNAVAILABLE = (
    "Het taalmodel van de server kan niet worden geladen; de beheerder kan 'beleidsbank model' uitvoeren."
)
