/**
 * The permissions this app checks. They are WorkOS RBAC permission slugs: create
 * them under Roles & Permissions in the WorkOS dashboard and assign them to roles.
 */
export const PERMISSIONS = {
  /** Open /dashboard/admin. */
  manageUsers: 'users:manage',
} as const;
