"""The list filter's filters and form fields are copied one level deep for
each filter set (complaints.copied): each must still be its own."""

from complaints.filters import ServiceRequestFilter
from complaints.models import ServiceRequest


def test_each_filter_set_has_its_own_filters_and_fields():
    base = ServiceRequestFilter.base_filters["status"]
    mine = ServiceRequestFilter({"status": "Wait"}, queryset=ServiceRequest.objects.none(),
                                statuses=["In Progress", "Wait"])
    other = ServiceRequestFilter({}, queryset=ServiceRequest.objects.none(), statuses=["Closed", "Wait"])
    queue = ServiceRequestFilter({}, queryset=ServiceRequest.objects.none(), statuses=[])
    assert mine.filters["status"].extra["choices"] == [("In Progress", "In Progress"), ("Wait", "Wait")]
    assert other.filters["status"].extra["choices"] == [("Closed", "Closed"), ("Wait", "Wait")]
    assert "choices" not in base.extra and "status" in ServiceRequestFilter.base_filters
    assert "status" not in queue.filters and "status" not in queue.form.fields
    # The status filter calls its method on its own filter set.
    assert mine.filters["status"].parent is mine and mine.filters["status"].filter.f is mine.filters["status"]
    assert [value for value, _ in mine.form.fields["status"].choices][1:] == ["In Progress", "Wait"]
    assert mine.form.fields["status"] is not other.form.fields["status"]
    assert mine.is_valid() and list(mine.qs) == []
