import type { Config } from "tailwindcss";

// Loaded by src/styles/globals.css through `@config`: the brand palette and fonts live here.
export default {
  content: ["./src/**/*.{ts,tsx}"],
  theme: {
    extend: {
      colors: {
        brand: {
          50: "#eefbf4",
          100: "#d6f5e3",
          200: "#b0eacb",
          300: "#7cd9ac",
          400: "#46c088",
          500: "#23a56e",
          600: "#158558",
          700: "#126a49",
          800: "#12543c",
          900: "#104533",
        },
      },
      fontFamily: {
        sans: ["var(--font-geist-sans)", "ui-sans-serif", "system-ui", "sans-serif"],
        mono: ["var(--font-geist-mono)", "ui-monospace", "monospace"],
      },
    },
  },
} satisfies Config;
