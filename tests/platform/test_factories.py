"""Every platform model has a factory that builds a valid row."""

import pytest

from tests import factories

pytestmark = pytest.mark.django_db

FACTORIES = [
    factories.GradeFactory, factories.TeamFactory, factories.UserFactory, factories.ClientFactory,
    factories.ServiceRequestFactory, factories.NoteFactory, factories.CaseEventFactory, factories.SRLinkFactory,
    factories.ResolutionPlanFactory, factories.PlanReasonFactory, factories.PlanActionFactory,
    factories.PlanApprovalFactory,
]


@pytest.mark.parametrize("factory", FACTORIES, ids=lambda f: f.__name__)
def test_factory_builds_a_saved_row(factory):
    obj = factory()
    assert obj.pk is not None
    assert str(obj)
