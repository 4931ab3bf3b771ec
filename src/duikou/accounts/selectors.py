"""Reads for accounts, always through restrict()."""

from duikou.core.selectors import crud_selectors

from .models import Membership, Role, User

__all__ = ["membership_get", "membership_list", "role_get", "role_list", "user_get", "user_list"]

user_list, user_get = crud_selectors(User)
role_list, role_get = crud_selectors(Role)
membership_list, membership_get = crud_selectors(Membership)
