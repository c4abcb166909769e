import type { Probot } from "probot";

/** Installations need nothing from us (config is read per event); they are logged for operators. */
export function registerInstallation(app: Probot): void {
  app.on(["installation", "installation_repositories"], async (context) => {
    const p = context.payload as {
      action: string;
      installation: { id: number; account?: { login?: string } | null };
      repositories_added?: unknown[];
      repositories_removed?: unknown[];
      repositories?: unknown[];
    };
    context.log.info(
      {
        event: context.name,
        action: p.action,
        installation: p.installation.id,
        account: p.installation.account?.login,
        repositories: (p.repositories ?? p.repositories_added ?? []).length,
        removed: (p.repositories_removed ?? []).length,
        deliveryId: context.id,
      },
      "installation event",
    );
  });
}
