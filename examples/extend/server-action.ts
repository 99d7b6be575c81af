'use server';
// app/projects/actions.ts — a server action that needs a session. Next only runs
// it for a same-origin POST, and the proxy refuses one posted from elsewhere.
import { revalidatePath } from 'next/cache';
import { requireSession } from '@/lib/auth';

export async function renameProjectAction(formData: FormData): Promise<void> {
  const session = await requireSession();
  const name = String(formData.get('name') ?? '').trim();
  if (!name) return;
  console.info(JSON.stringify({ event: 'project_renamed', userId: session.user.id, name }));
  revalidatePath('/projects');
}
