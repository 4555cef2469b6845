"use client";

/** The PNG's header band, where the panel's title is written above the chart. */
const HEADER_PX = 28;
const SCALE = 2;

/** Draws a data: URL image (the CSP allows data: images, not blob: ones). */
function loadImage(src: string): Promise<HTMLImageElement> {
  return new Promise((resolve, reject) => {
    const img = new Image();
    img.onload = () => resolve(img);
    img.onerror = () => reject(new Error("The browser could not draw the chart's SVG"));
    img.src = src;
  });
}

/**
 * Saves the chart inside `container` as a PNG, in the browser: its SVG serialized as it is drawn, painted on a canvas
 * over the panel's background with `title` above it, then downloaded as `filename`. No server round trip.
 */
export async function savePanelPng(
  container: HTMLElement,
  opts: { title: string; filename: string; background: string; text: string },
): Promise<void> {
  const svg = container.querySelector<SVGSVGElement>("svg.recharts-surface");
  if (!svg) throw new Error("The chart has not been drawn yet");
  const { width, height } = svg.getBoundingClientRect();
  const copy = svg.cloneNode(true) as SVGSVGElement;
  copy.setAttribute("xmlns", "http://www.w3.org/2000/svg");
  copy.setAttribute("width", String(width));
  copy.setAttribute("height", String(height));
  // Tick labels take the page's font through CSS, which a detached SVG does not see.
  copy.setAttribute("font-family", getComputedStyle(container).fontFamily || "sans-serif");
  const source = new XMLSerializer().serializeToString(copy);
  const img = await loadImage(`data:image/svg+xml;charset=utf-8,${encodeURIComponent(source)}`);

  const canvas = document.createElement("canvas");
  canvas.width = Math.ceil(width * SCALE);
  canvas.height = Math.ceil((height + HEADER_PX) * SCALE);
  const ctx = canvas.getContext("2d");
  if (!ctx) throw new Error("The browser has no 2D canvas");
  ctx.scale(SCALE, SCALE);
  ctx.fillStyle = opts.background;
  ctx.fillRect(0, 0, width, height + HEADER_PX);
  ctx.fillStyle = opts.text;
  ctx.font = `600 13px ${getComputedStyle(container).fontFamily || "sans-serif"}`;
  ctx.fillText(opts.title, 8, 18);
  ctx.drawImage(img, 0, HEADER_PX, width, height);

  const blob = await new Promise<Blob | null>((resolve) => canvas.toBlob(resolve, "image/png"));
  if (!blob) throw new Error("The browser could not encode the PNG");
  const url = URL.createObjectURL(blob);
  const a = document.createElement("a");
  a.href = url;
  a.download = opts.filename;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
