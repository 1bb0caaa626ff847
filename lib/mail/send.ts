import "server-only";
import fs from "node:fs/promises";
import path from "node:path";
import nodemailer, { type Transporter } from "nodemailer";
import { env } from "@/lib/env";
import { logger } from "@/lib/logger";

export interface Mail {
  to: string;
  subject: string;
  text: string;
}

let transport: Transporter | undefined;

/**
 * Sends through SMTP_URL. Without it (development, a local trial) the mail is written to
 * $DATA_DIR/mail and to the log, so a developer can follow a reset link without a mail server.
 */
export async function sendMail(mail: Mail): Promise<void> {
  const log = logger.child({ scope: "mail" });
  if (env.SMTP_URL) {
    transport ??= nodemailer.createTransport(env.SMTP_URL);
    await transport.sendMail({ from: env.MAIL_FROM, to: mail.to, subject: mail.subject, text: mail.text });
    log.info({ subject: mail.subject }, "mail sent");
    return;
  }
  const dir = path.resolve(env.DATA_DIR, "mail");
  await fs.mkdir(dir, { recursive: true });
  const file = path.join(dir, `${new Date().toISOString().replace(/[:.]/g, "-")}-${mail.to.replace(/[^a-z0-9@._-]/gi, "_")}.txt`);
  await fs.writeFile(file, `From: ${env.MAIL_FROM}\nTo: ${mail.to}\nSubject: ${mail.subject}\n\n${mail.text}\n`, { mode: 0o600 });
  if (env.NODE_ENV === "production") {
    log.warn({ subject: mail.subject, file }, "SMTP_URL is not set: mail written to disk, not sent");
  } else {
    // Development only: the content (with its link) in the log is the point.
    log.info({ to: mail.to, subject: mail.subject, file, content: mail.text }, "mail written to disk (no SMTP_URL)");
  }
}
