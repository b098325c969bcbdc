from django.contrib import admin

from hayat.notifications.models import Message


@admin.register(Message)
class MessageAdmin(admin.ModelAdmin):
    """Read-only like every model here: messages are resent and cancelled on the Outbox page."""

    list_display = ["created_at", "kind", "channel", "recipient", "state", "attempts", "sent_at"]
    list_filter = ["state", "kind", "channel"]
    list_select_related = ["patient"]
