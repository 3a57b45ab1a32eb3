"""Query parameters of the API's lists, each checked and documented from one description.

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
        """The value, None when the parameter is absent or empty.

        Raises ValueError with what is wrong when the value is invalid.
        """
        values = request.query_params.getlist(self.name)
        if len(values) > 1:
            raise ValueError("Give this parameter once.")
        if not values or values[0] == "":
            return None
        value = self.parse(values[0])
        if value is None:
            raise ValueError(self.message)
        return value

    def parse(self, text):
        """The value `text` stands for, None when the schema does not allow it."""
        if "enum" in self.schema:
            return text if text in self.schema["enum"] else None
        return text if re.fullmatch(self.schema["pattern"].strip("^$"), text) else None


def read_all(request, *parameters):
    """The parameters' values in order; one 400 naming every invalid one."""
    values, errors = [], {}
    for parameter in parameters:
        try:
            values.append(parameter.read(request))
        except ValueError as error:
            errors[parameter.name] = [str(error)]
    if errors:
        raise ValidationError(errors)
    return values


class WholeNumber(QueryParameter):
    def __init__(self, name, description, *, minimum, maximum=None):
        schema = {"type": "integer", "minimum": minimum}
        message = f"A whole number, {minimum} or more."
        if maximum:
            schema["maximum"] = maximum
            message = f"A whole number from {minimum} to {maximum}."
        super().__init__(name, description, schema, message)

    def parse(self, text):
        # Digits only: int() would also take " 1", "+1", "1_000" and other scripts' digits.
        if not re.fullmatch("[0-9]+", text):
            return None
        number = int(text)
        if number < self.schema["minimum"] or number > self.schema.get("maximum", number):
            return None
        return number
