import { onTestFinished, vi } from "vitest";

export interface ArquivoSalvo {
  nome: string;
  blob: Blob;
}

/**
 * jsdom has no object URLs, and following an <a download> would try to navigate: both
 * stand-ins record what lib/baixar.ts saves instead. Undone after each test (setup.ts
 * restores the mocks; the URL functions are removed here).
 */
export function stubDownload(): ArquivoSalvo[] {
  const salvos: ArquivoSalvo[] = [];
  const blobs = new Map<string, Blob>();
  Object.assign(URL, {
    createObjectURL: vi.fn((blob: Blob) => {
      const url = `blob:${location.origin}/${blobs.size + 1}`;
      blobs.set(url, blob);
      return url;
    }),
    revokeObjectURL: vi.fn(),
  });
  vi.spyOn(HTMLAnchorElement.prototype, "click").mockImplementation(function (
    this: HTMLAnchorElement,
  ) {
    const blob = blobs.get(this.href);
    if (blob) salvos.push({ nome: this.download, blob });
  });
  onTestFinished(() => {
    Reflect.deleteProperty(URL, "createObjectURL");
    Reflect.deleteProperty(URL, "revokeObjectURL");
  });
  return salvos;
}
