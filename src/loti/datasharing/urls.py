"""The data-sharing registry's pages, under /data-sharing/. Each concept keeps its routes in
its own `urls.py`; the fixed addresses (the question, the coverage matrix, reminders,
templates) come before an agreement's own `<slug>/…` addresses, and the agreement's slugs never
take one of those words (`agreements.services`)."""

from loti.datasharing.agreements import urls as agreements
from loti.datasharing.coverage import urls as coverage
from loti.datasharing.documents import urls as documents
from loti.datasharing.dpia import urls as dpia
from loti.datasharing.reminders import urls as reminders

app_name = "datasharing"

urlpatterns = [
    *coverage.urlpatterns,
    *reminders.urlpatterns,
    *documents.urlpatterns,
    *dpia.urlpatterns,
    *agreements.urlpatterns,
]
