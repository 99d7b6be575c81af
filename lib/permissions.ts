/**
 * The permissions this app knows. They are WorkOS RBAC permission slugs: create
 * them under Roles & Permissions in the WorkOS dashboard and assign them to roles.
 * The mock WorkOS (e2e/mock-workos/seed.ts) gives its roles these same slugs.
 */
export const PERMISSIONS = {
  readPosts: 'posts:read',
  writePosts: 'posts:write',
  /** Open /dashboard/admin. */
  manageUsers: 'users:manage',
} as const;
