"""Every model of the project has a factory that builds a valid row; a
model added without one fails here."""

import inspect

import factory
import pytest
from django.apps import apps

from tests import factories
from tests.sla import factories as sla_factories

pytestmark = pytest.mark.django_db

APPS = ("accounts", "complaints", "ice", "phso", "sla", "letters")
FACTORIES = {
    f._meta.model: f
    for module in (factories, sla_factories)
    for _, f in inspect.getmembers(module, inspect.isclass)
    if issubclass(f, factory.django.DjangoModelFactory) and f._meta.model is not None
}
MODELS = [m for app in APPS for m in apps.get_app_config(app).get_models() if not m._meta.proxy]


def test_every_model_has_a_factory():
    missing = [m.__name__ for m in MODELS if m not in FACTORIES]
    assert not missing, f"models without a factory: {missing}"


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m.__name__)
def test_factory_builds_a_saved_row(model):
    obj = FACTORIES[model]()
    assert obj.pk is not None
    assert model.objects.filter(pk=obj.pk).exists()
    assert str(obj)
