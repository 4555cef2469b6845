import type { InputHTMLAttributes, LabelHTMLAttributes, ReactNode, SelectHTMLAttributes } from "react";
import { cn } from "./cn";

const FIELD =
  "block rounded-md border border-zinc-700 bg-zinc-900 px-3 py-2 text-sm text-zinc-100 focus-visible:border-emerald-500 focus-visible:outline-2 focus-visible:outline-offset-1 focus-visible:outline-emerald-400";

export function Input({ className, ...props }: InputHTMLAttributes<HTMLInputElement>) {
  return (
    <input
      className={cn(FIELD, "w-full placeholder:text-zinc-500 aria-invalid:border-red-500", className)}
      {...props}
    />
  );
}

/** A native select styled like Input; `narrow` fits it in a table cell. */
export function Select({
  className,
  narrow,
  ...props
}: SelectHTMLAttributes<HTMLSelectElement> & { narrow?: boolean }) {
  return <select className={cn(FIELD, narrow ? "w-44" : "w-full", className)} {...props} />;
}

export function Label({ className, ...props }: LabelHTMLAttributes<HTMLLabelElement> & { htmlFor: string }) {
  return <label className={cn("block text-sm font-medium text-zinc-300", className)} {...props} />;
}

type TextFieldProps = InputHTMLAttributes<HTMLInputElement> & {
  id: string;
  label: ReactNode;
  /** More room between label and input (the sign-in form). */
  loose?: boolean;
  /** Drawn under the input: a datalist of suggestions, a hint. */
  children?: ReactNode;
};

/** A labelled input: the label above, the input, then any children. */
export function TextField({ id, label, loose, children, ...props }: TextFieldProps) {
  return (
    <div className={loose ? "space-y-1.5" : "flex flex-col gap-1"}>
      <Label htmlFor={id}>{label}</Label>
      <Input id={id} {...props} />
      {children}
    </div>
  );
}
