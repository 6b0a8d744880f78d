import pytest
from kompis.municipalities.models import Municipality
from tests.browser.test_signup_journey import *  # noqa
pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]
def test_zz(live_server, db):
    print("\nZZ", Municipality.objects.count())
