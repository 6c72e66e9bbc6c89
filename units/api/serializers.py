from rest_framework import serializers

from units.models import Unit, UnitCode


class UnitCodeSerializer(serializers.ModelSerializer):
    class Meta:
        model = UnitCode
        fields = ["system", "code"]


class UnitSerializer(serializers.ModelSerializer):
    """A unit with the codes the provincial systems give it and the other names exports spell it with."""

    kind_display = serializers.CharField(source="get_kind_display", read_only=True)
    aliases = serializers.SlugRelatedField(many=True, read_only=True, slug_field="name")
    codes = UnitCodeSerializer(many=True, read_only=True)

    class Meta:
        model = Unit
        fields = ["id", "name", "short_name", "kind", "kind_display", "parent", "sort_order", "active", "aliases", "codes"]
