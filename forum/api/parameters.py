"""Query parameters of the API's lists, each read and documented from one description.

A parameter's OpenAPI schema is also what its value is checked against, so the docs cannot
promise what the API refuses. An empty value is the same as none (`?language=` from a
form's "any" choice: `allowEmptyValue`); any other value the schema does not allow, or a
parameter given twice, is a 400 naming it: `{"page_size": ["A whole number from 1 to 100."]}`.
"""

import re

from rest_framework.exceptions import ValidationError

# What Django's SlugField accepts: edition and person slugs in addresses and filters.
SLUG = "[-a-zA-Z0-9_]+"


class QueryParameter:
    def __init__(self, name, description, schema, message):
        self.name = name
        self.description = description
        self.schema = schema
        self.message = message

    def openapi(self):
        return {
            "name": self.name,
            "in": "query",
            "required": False,
            "allowEmptyValue": True,
            "description": self.description,
            "schema": self.schema,
        }

    def read(self, request):
        """The value, None when the parameter is absent or empty; a 400 when it is invalid."""
        values = request.query_params.getlist(self.name)
        if len(values) > 1:
            raise ValidationError({self.name: ["Give this parameter once."]})
        if not values or values[0] == "":
            return None
        value = self.parse(values[0])
        if value is None:
            raise ValidationError({self.name: [self.message]})
        return value

    def parse(self, text):
        """The value `text` stands for, None when the schema does not allow it."""
        if "enum" in self.schema:
            return text if text in self.schema["enum"] else None
        return text if re.fullmatch(self.schema["pattern"].strip("^$"), text) else None


class WholeNumber(QueryParameter):
    def __init__(self, name, description, *, minimum, maximum=None):
        bounds = f"from {minimum} to {maximum}" if maximum else f"{minimum} or more"
        schema = {"type": "integer", "minimum": minimum}
        if maximum:
            schema["maximum"] = maximum
        super().__init__(name, description, schema, f"A whole number {bounds}.")

    def parse(self, text):
        # Digits only: int() would also take " 1", "+1", "1_000" and other scripts' digits.
        if not re.fullmatch("[0-9]+", text):
            return None
        number = int(text)
        if number < self.schema["minimum"] or number > self.schema.get("maximum", number):
            return None
        return number
