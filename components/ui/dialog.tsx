"use client";

import { useEffect, useId, useRef, type ReactNode } from "react";
import { ErrorText } from "./alert";
import { Button, type ButtonVariant } from "./button";
import { cn } from "./cn";

type ConfirmDialogProps = {
  open: boolean;
  title: string;
  children: ReactNode;
  confirmLabel: string;
  confirmVariant?: ButtonVariant;
  pending?: boolean;
  error?: string | null;
  onConfirm: () => void;
  onClose: () => void;
};

/** A modal confirmation on the native <dialog>: focus is trapped, Escape cancels, the page behind is inert. */
export function ConfirmDialog({
  open,
  title,
  children,
  confirmLabel,
  confirmVariant = "primary",
  pending,
  error,
  onConfirm,
  onClose,
}: ConfirmDialogProps) {
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    if (open && !dialog.open) dialog.showModal();
    if (!open && dialog.open) dialog.close();
  }, [open]);
  return (
    <dialog
      ref={ref}
      aria-labelledby={titleId}
      onCancel={(e) => {
        e.preventDefault();
        if (!pending) onClose();
      }}
      className="m-auto w-full max-w-lg rounded-lg border border-zinc-700 bg-zinc-900 p-0 text-zinc-100 shadow-2xl backdrop:bg-black/70"
    >
      <div className="space-y-4 p-6">
        <h2 id={titleId} className="text-lg font-semibold">
          {title}
        </h2>
        <div className="space-y-2 text-sm leading-6 text-zinc-300">{children}</div>
        {error ? <ErrorText>{error}</ErrorText> : null}
        <div className="flex justify-end gap-2 pt-2">
          <Button variant="secondary" onClick={onClose} disabled={pending} autoFocus>
            Cancel
          </Button>
          <Button variant={confirmVariant} onClick={onConfirm} disabled={pending}>
            {pending ? "Working…" : confirmLabel}
          </Button>
        </div>
      </div>
    </dialog>
  );
}

/** A text box inside a ConfirmDialog, its label above it; `mono` for a typed name. */
export function DialogInput({
  label,
  value,
  onChange,
  mono,
}: {
  label: ReactNode;
  value: string;
  onChange: (value: string) => void;
  mono?: boolean;
}) {
  return (
    <label className="block space-y-1">
      <span>{label}</span>
      <input
        value={value}
        onChange={(e) => onChange(e.target.value)}
        {...(mono ? { autoComplete: "off" } : { maxLength: 500 })}
        className={cn(
          "block w-full rounded-md border border-zinc-700 bg-zinc-950 px-3 py-2 text-sm text-zinc-100",
          mono && "font-mono",
        )}
      />
    </label>
  );
}

/** Why a reason typed into a dialog is refused, or null: the server asks for ten characters too. */
export const shortReason = (reason: string): string | null =>
  reason.trim().length < 10 ? "Give a reason of at least 10 characters." : null;
