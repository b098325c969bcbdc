"""REST API for staff accounts: Admin manages users; everyone reads their own profile."""

from drf_spectacular.utils import extend_schema
from rest_framework import generics, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from hayat.accounts import selectors, services
from hayat.accounts.models import Department, Specialisation, User
from hayat.accounts.services import UserData
from hayat.core.policy import SIGNED_IN


class UserOutput(serializers.ModelSerializer):
    department = serializers.StringRelatedField(allow_null=True)
    specialisations = serializers.StringRelatedField(many=True)

    class Meta:
        model = User
        fields = ["id", "user_id", "full_name", "role", "department", "specialisations", "phone",
                  "is_active", "last_login", "date_joined"]


class UserInput(serializers.Serializer):
    user_id = serializers.CharField(max_length=40)
    full_name = serializers.CharField(max_length=150)
    role = serializers.CharField(max_length=20)
    department = serializers.PrimaryKeyRelatedField(queryset=Department.objects.all(), required=False,
                                                    allow_null=True)
    specialisations = serializers.PrimaryKeyRelatedField(queryset=Specialisation.objects.all(), many=True,
                                                         required=False)
    phone = serializers.CharField(max_length=32, required=False, allow_blank=True)

    def user_data(self) -> UserData:
        data = self.validated_data
        return UserData(user_id=data["user_id"], full_name=data["full_name"], role=data["role"],
                        department=data.get("department"), phone=data.get("phone", ""),
                        specialisations=list(data.get("specialisations", [])))


class NewUserInput(UserInput):
    password = serializers.CharField(write_only=True)


class PasswordInput(serializers.Serializer):
    new_password = serializers.CharField(write_only=True)


class ActiveInput(serializers.Serializer):
    active = serializers.BooleanField()


class UserViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = UserOutput
    capabilities = {"*": "users.manage"}
    filterset_fields = ["role", "is_active", "department"]

    def get_queryset(self):
        return selectors.users(search=self.request.query_params.get("search", ""))

    @extend_schema(request=NewUserInput, responses={201: UserOutput})
    def create(self, request):
        data = NewUserInput(data=request.data)
        data.is_valid(raise_exception=True)
        user = services.create_user(by=request.user, data=data.user_data(),
                                    password=data.validated_data["password"])
        return Response(UserOutput(user).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=UserInput, responses=UserOutput)
    def update(self, request, pk=None):
        data = UserInput(data=request.data)
        data.is_valid(raise_exception=True)
        user = services.update_user(by=request.user, user=self.get_object(), data=data.user_data())
        return Response(UserOutput(user).data)

    @extend_schema(request=PasswordInput, responses={204: None})
    @action(detail=True, methods=["post"], url_path="reset-password")
    def reset_password(self, request, pk=None):
        data = PasswordInput(data=request.data)
        data.is_valid(raise_exception=True)
        services.reset_password(by=request.user, user=self.get_object(),
                                new_password=data.validated_data["new_password"])
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(request=ActiveInput, responses=UserOutput)
    @action(detail=True, methods=["post"], url_path="set-active")
    def set_active(self, request, pk=None):
        data = ActiveInput(data=request.data)
        data.is_valid(raise_exception=True)
        user = services.set_active(by=request.user, user=self.get_object(), active=data.validated_data["active"])
        return Response(UserOutput(user).data)


class MeView(generics.RetrieveAPIView):
    serializer_class = UserOutput
    capabilities = {"GET": SIGNED_IN}

    def get_object(self):
        return self.request.user
