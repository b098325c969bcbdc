from hayat.core.roles import Role
from hayat.web import services


def samples(personas: dict) -> dict[str, dict]:
    search = services.save_search(by=personas[Role.RECEPTIONIST], page="patients:list", name="Women",
                                  query="gender=female", shared=True)
    return {"web:saved_search_delete": {"pk": search.pk}}
