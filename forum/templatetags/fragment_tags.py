"""`{% fragment %}`: a part of a public page cached with the page cache's tags
(forum/pagecache/fragments.py).

    {% fragment "body" %}…{% endfragment %}                 the page's own part
    {% fragment "navigation" shared current_url %}…{% endfragment %}
                                                            the same on every page, per value
"""

from django import template

from forum.pagecache import fragments

register = template.Library()


class FragmentNode(template.Node):
    def __init__(self, nodelist, name, shared, vary):
        self.nodelist = nodelist
        self.name = name
        self.shared = shared
        self.vary = vary

    def render(self, context):
        vary = tuple(str(value.resolve(context)) for value in self.vary)
        return fragments.render(
            context, self.nodelist, self.name.resolve(context), shared=self.shared, vary=vary
        )


@register.tag
def fragment(parser, token):
    bits = token.split_contents()
    if len(bits) < 2:
        raise template.TemplateSyntaxError("{% fragment %} needs a name")
    name, rest = parser.compile_filter(bits[1]), bits[2:]
    shared = bool(rest) and rest[0] == "shared"
    if shared:
        rest = rest[1:]
    elif rest:
        raise template.TemplateSyntaxError("only a shared {% fragment %} varies with values")
    nodelist = parser.parse(("endfragment",))
    parser.delete_first_token()
    return FragmentNode(nodelist, name, shared, [parser.compile_filter(bit) for bit in rest])
