from django.urls import path

from hayat.catalog import views

app_name = "catalog"

urlpatterns = [
    path("service-types/", views.service_type_list, name="service_type_list"),
    path("service-types/new/", views.service_type_create, name="service_type_create"),
    path("service-types/<int:pk>/", views.service_type_edit, name="service_type_edit"),
    path("services/", views.service_list, name="service_list"),
    path("services/new/", views.service_create, name="service_create"),
    path("services/<int:pk>/", views.service_edit, name="service_edit"),
    path("tariffs/", views.tariff_list, name="tariff_list"),
    path("tariffs/new/", views.tariff_create, name="tariff_create"),
    path("tariffs/<int:pk>/", views.tariff_detail, name="tariff_detail"),
    path("tariffs/<int:pk>/edit/", views.tariff_edit, name="tariff_edit"),
    path("tariffs/<int:pk>/services/", views.tariff_include, name="tariff_include"),
    path("tariffs/<int:pk>/services/<int:service_pk>/sessions/", views.tariff_sessions, name="tariff_sessions"),
    path("tariffs/<int:pk>/services/<int:service_pk>/remove/", views.tariff_exclude, name="tariff_exclude"),
    path("prices/", views.price_grid_page, name="price_grid"),
]
