import "@testing-library/jest-dom/vitest";
import { cleanup } from "@testing-library/react";
import { afterEach, vi } from "vitest";
import { _resetSessao } from "../lib/session";

// fetch, Request and Response here are Node's (jsdom has none); FormData, File and Blob
// are made Node's too, so a file sent through a Request keeps its name (vitest's bridge
// from jsdom's FormData to Node's sends every file as a nameless "blob").
const { Blob: BlobDoNode, File: FileDoNode } = await import("node:buffer");
const FormDataDoNode = (await new Response(new URLSearchParams("a=1")).formData()).constructor;
Object.assign(globalThis, { Blob: BlobDoNode, File: FileDoNode, FormData: FormDataDoNode });

afterEach(() => {
  cleanup();
  localStorage.clear();
  sessionStorage.clear();
  _resetSessao();
  vi.restoreAllMocks();
  vi.unstubAllGlobals();
  vi.useRealTimers();
});
