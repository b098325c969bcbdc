from django.urls import path

from hayat.facilities import views

app_name = "facilities"

urlpatterns = [
    path("availability/", views.availability_page, name="availability"),
    path("departments/", views.department_list, name="department_list"),
    path("departments/new/", views.department_create, name="department_create"),
    path("departments/<int:pk>/", views.department_edit, name="department_edit"),
    path("wards/", views.ward_list, name="ward_list"),
    path("wards/new/", views.ward_create, name="ward_create"),
    path("wards/<int:pk>/", views.ward_edit, name="ward_edit"),
    path("buildings/", views.building_list, name="building_list"),
    path("buildings/new/", views.building_create, name="building_create"),
    path("buildings/<int:pk>/", views.building_edit, name="building_edit"),
    path("amenities/", views.amenity_list, name="amenity_list"),
    path("amenities/new/", views.amenity_create, name="amenity_create"),
    path("amenities/<int:pk>/", views.amenity_edit, name="amenity_edit"),
    path("room-types/", views.room_type_list, name="room_type_list"),
    path("room-types/new/", views.room_type_create, name="room_type_create"),
    path("room-types/<int:pk>/", views.room_type_edit, name="room_type_edit"),
    path("rooms/", views.room_list, name="room_list"),
    path("rooms/new/", views.room_create, name="room_create"),
    path("rooms/<int:pk>/", views.room_detail, name="room_detail"),
    path("rooms/<int:pk>/edit/", views.room_edit, name="room_edit"),
    path("rooms/<int:pk>/active/", views.room_set_active, name="room_set_active"),
    path("rooms/<int:pk>/beds/", views.bed_add, name="bed_add"),
    path("beds/<int:pk>/number/", views.bed_rename, name="bed_rename"),
    path("beds/<int:pk>/active/", views.bed_set_active, name="bed_set_active"),
    path("maintenance/", views.maintenance_list, name="maintenance_list"),
    path("maintenance/new/", views.maintenance_create, name="maintenance_create"),
    path("maintenance/<int:pk>/", views.maintenance_edit, name="maintenance_edit"),
    path("maintenance/<int:pk>/status/", views.maintenance_transition, name="maintenance_transition"),
]
