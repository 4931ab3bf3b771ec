"""The API's views: one viewset per register (made by :func:`viewset_for`), the headline figures
of a pairing, and the exception handler that turns the services' errors into 400/403/409."""

from __future__ import annotations

import importlib

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import ProtectedError, RestrictedError
from django.utils.translation import gettext_lazy as _
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import exceptions, filters, mixins, serializers, status, viewsets
from rest_framework.pagination import PageNumberPagination
from rest_framework.response import Response
from rest_framework.views import APIView
from rest_framework.views import exception_handler as drf_exception_handler

from duikou.core.errors import ApplicationError, PermissionDenied
from duikou.core.permissions import can
from duikou.organisations.models import Pairing
from duikou.reports.selectors import pairing_figures
from duikou.ui.registers import Register, all_registers

from .serializers import form_errors, serializer_for, writable_fields

__all__ = [
    "FIGURES_SCHEMA",
    "FiguresQuery",
    "FiguresView",
    "Pagination",
    "RegisterViewSet",
    "delete_service",
    "exception_handler",
    "viewset_for",
    "viewsets_for_registers",
]


class Pagination(PageNumberPagination):
    """``?page=N&page_size=M`` (50 rows a page by default, at most 500)."""

    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 500


def exception_handler(exc, context):
    """DRF's handler, plus the services' errors: a ``ValidationError`` is a 400 keyed by the
    fields it names, an ``ApplicationError`` a 400 with its message, a delete refused because
    other records point at the row a 409."""
    if isinstance(exc, DjangoValidationError):
        if hasattr(exc, "error_dict"):
            exc = exceptions.ValidationError(form_errors(exc.error_dict))
        else:
            exc = exceptions.ValidationError({"non_field_errors": [str(m) for m in exc.messages]})
    elif isinstance(exc, PermissionDenied):  # a service's refusal says what was refused
        exc = exceptions.PermissionDenied(str(exc))
    elif isinstance(exc, ApplicationError):
        exc = exceptions.ValidationError({"detail": str(exc.message)})
    elif isinstance(exc, ProtectedError | RestrictedError):
        return Response({"detail": str(_("Other records refer to this one: it cannot be deleted."))},
                        status=status.HTTP_409_CONFLICT)
    return drf_exception_handler(exc, context)


def delete_service(register: Register):
    """The register's delete service: ``<entity>_delete`` next to its create (or update) service
    in ``<app>.services``, or None (then the API offers no DELETE)."""
    try:
        module = importlib.import_module(register.model.__module__.rpartition(".")[0] + ".services")
    except ImportError:
        return None
    for service, verb in ((register.create, "_create"), (register.update, "_update")):
        if service is None:
            continue
        for name, value in vars(module).items():
            if value is service and name.endswith(verb):
                found = getattr(module, name[: -len(verb)] + "_delete", None)
                if callable(found):
                    return found
    return None


class RegisterViewSet(viewsets.GenericViewSet):
    """Base of the generated viewsets; ``register`` (and ``destroy_service``) are set on each subclass."""

    register: Register
    destroy_service = None
    pagination_class = Pagination
    filter_backends = [DjangoFilterBackend, filters.SearchFilter, filters.OrderingFilter]

    def get_queryset(self):
        register = self.register
        if getattr(self, "swagger_fake_view", False):  # schema generation: no user
            return register.model.objects.none()
        if self.action == "list" and not register.may_view(self.request.user):
            raise exceptions.PermissionDenied
        qs = register.queryset(self.request.user)
        many = [f.name for f in register.model._meta.many_to_many]
        if many:  # the lists of ids, one query each for the whole page
            qs = qs.prefetch_related(*many)
        ordering = list(register.default_order or register.model._meta.ordering or [])
        return qs.order_by(*ordering, "pk")

    def get_object(self):
        obj = super().get_object()
        action = {"update": "change", "partial_update": "change", "destroy": "delete"}.get(self.action)
        if action is not None and not can(self.request.user, action, obj):
            raise exceptions.PermissionDenied
        return obj

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        # Before the input is read: a user who may add nothing learns nothing from its errors.
        if self.action == "create" and not self.register.may_add(request.user):
            raise exceptions.PermissionDenied

    def perform_destroy(self, instance):
        self.destroy_service(actor=self.request.user, instance=instance)


def _ordering_fields(register: Register) -> list[str]:
    lookups = {c.order_lookup(register.model) for c in register.columns} - {None}
    return ["id", *sorted(lookups)]


def viewset_for(register: Register) -> type[RegisterViewSet]:
    """The viewset of one register: list and retrieve; create and update when the register has
    the services and a form; destroy when its app has a delete service."""
    mixin_classes = [mixins.ListModelMixin, mixins.RetrieveModelMixin]
    writes = bool(writable_fields(register))
    if writes and register.create is not None:
        mixin_classes.append(mixins.CreateModelMixin)
    if writes and register.update is not None:
        mixin_classes.append(mixins.UpdateModelMixin)
    delete = delete_service(register)
    if delete is not None:
        mixin_classes.append(mixins.DestroyModelMixin)
    name = "".join(part.capitalize() for part in register.slug.split("-"))
    attrs = {
        "register": register,
        "destroy_service": staticmethod(delete) if delete is not None else None,
        "serializer_class": serializer_for(register),
        "filterset_class": register.filterset,
        "search_fields": list(register.search),
        "ordering_fields": _ordering_fields(register),
        "queryset": register.model.objects.none(),  # for the router's basename and the schema
        "__module__": __name__,
        "__doc__": str(register.title),
    }
    cls = type(f"{name}ViewSet", (RegisterViewSet, *mixin_classes), attrs)
    tag = register.slug
    return extend_schema_view(**{
        action: extend_schema(tags=[tag]) for action in
        ("list", "retrieve", "create", "update", "partial_update", "destroy") if hasattr(cls, action)
    })(cls)


def viewsets_for_registers() -> list[tuple[str, type[RegisterViewSet]]]:
    """(slug, viewset) of every register, in menu order."""
    return [(reg.slug, viewset_for(reg)) for reg in all_registers()]


# headline figures ---------------------------------------------------------------------------


class FiguresQuery(serializers.Serializer):
    from_ = serializers.IntegerField(min_value=1949, max_value=2100, label=_("first year"))
    to = serializers.IntegerField(min_value=1949, max_value=2100, label=_("last year"))

    def get_fields(self):
        fields = super().get_fields()
        fields["from"] = fields.pop("from_")
        return fields


_money = {"type": "string", "pattern": r"^-?\d+\.\d{2}$"}
FIGURES_SCHEMA = {
    "type": "object",
    "required": [
        "supporter", "recipient", "from", "to", "aid_funds_yuan", "projects", "projects_by_task",
        "planned_funds_yuan", "cadres_seconded", "cadre_batches", "training_person_times",
        "consumption_products", "contract_sales_yuan", "enterprises_introduced", "illustrative_share",
    ],
    "properties": {
        "supporter": {"type": "string"},
        "recipient": {"type": "string"},
        "from": {"type": "integer"},
        "to": {"type": "integer"},
        "aid_funds_yuan": _money,
        "projects": {"type": "integer"},
        "projects_by_task": {
            "type": "object",
            "additionalProperties": {
                "type": "object", "required": ["projects", "funds_yuan"],
                "properties": {"projects": {"type": "integer"}, "funds_yuan": _money},
            },
        },
        "planned_funds_yuan": {**_money, "nullable": True},
        "cadres_seconded": {"type": "integer"},
        "cadre_batches": {"type": "integer"},
        "training_person_times": {"type": "integer"},
        "consumption_products": {"type": "integer"},
        "contract_sales_yuan": _money,
        "enterprises_introduced": {"type": "integer"},
        "illustrative_share": {"type": "number"},
    },
}


class FiguresView(APIView):
    """The headline figures of a pairing (and its sub-pairings) over the years ``from``..``to``:
    the same JSON object as ``duikou stats --json``."""

    @extend_schema(
        tags=["pairings"],
        operation_id="pairings_figures",
        parameters=[
            OpenApiParameter("from", OpenApiTypes.INT, OpenApiParameter.QUERY, required=True,
                             description="First year (Y1)."),
            OpenApiParameter("to", OpenApiTypes.INT, OpenApiParameter.QUERY, required=True,
                             description="Last year (Y2)."),
        ],
        responses={200: FIGURES_SCHEMA},
    )
    def get(self, request, pk: int):
        pairing = Pairing.objects.restrict(request.user, "view").filter(pk=pk).first()
        if pairing is None:  # missing or another organisation's: the same answer
            raise exceptions.NotFound
        query = FiguresQuery(data=request.query_params)
        query.is_valid(raise_exception=True)
        figures = pairing_figures(actor=request.user, pairing=pairing, year_from=query.validated_data["from"],
                                  year_to=query.validated_data["to"])
        return Response(figures.as_json())

