import { useEffect, useId, useRef, useState } from "react";

export interface ItemMenu<T extends string> {
  id: T;
  rotulo: string;
  /** A second, smaller line. */
  dica?: string;
  /** Draws a line above the item (a new group). */
  grupo?: boolean;
}

interface Props<T extends string> {
  /** The button's accessible name ("Mais ações"). */
  rotulo: string;
  icone: React.ReactNode;
  itens: ItemMenu<T>[];
  onEscolher: (id: T) => void;
  desabilitado?: boolean;
  motivoDesabilitado?: string;
  className?: string;
}

/**
 * A menu button (WAI-ARIA menu pattern): Enter, Space or ↓ open it on the first
 * item, ↑ on the last; ↑/↓/Home/End move, a letter jumps to the next item starting
 * with it, Enter chooses, Escape closes and gives focus back to the button, Tab or a
 * click outside just close it.
 */
export function Menu<T extends string>({
  rotulo,
  icone,
  itens,
  onEscolher,
  desabilitado,
  motivoDesabilitado,
  className,
}: Props<T>) {
  const id = useId();
  const [aberto, setAberto] = useState(false);
  const [ativo, setAtivo] = useState(0);
  const botao = useRef<HTMLButtonElement>(null);
  const lista = useRef<HTMLUListElement>(null);
  const raiz = useRef<HTMLDivElement>(null);

  // Focus follows the active item while open.
  useEffect(() => {
    if (!aberto) return;
    lista.current?.querySelectorAll<HTMLElement>('[role="menuitem"]')[ativo]?.focus();
  }, [aberto, ativo]);

  useEffect(() => {
    if (!aberto) return;
    function fora(evento: MouseEvent) {
      if (!raiz.current?.contains(evento.target as Node)) setAberto(false);
    }
    document.addEventListener("mousedown", fora);
    return () => document.removeEventListener("mousedown", fora);
  }, [aberto]);

  function abrir(indice: number) {
    setAtivo(indice);
    setAberto(true);
  }

  function fechar(devolverFoco: boolean) {
    setAberto(false);
    if (devolverFoco) botao.current?.focus();
  }

  function escolher(item: ItemMenu<T>) {
    fechar(true);
    onEscolher(item.id);
  }

  function teclaNoBotao(evento: React.KeyboardEvent) {
    if (evento.key === "ArrowDown") {
      evento.preventDefault();
      abrir(0);
    } else if (evento.key === "ArrowUp") {
      evento.preventDefault();
      abrir(itens.length - 1);
    }
  }

  function teclaNoMenu(evento: React.KeyboardEvent) {
    const total = itens.length;
    switch (evento.key) {
      case "ArrowDown":
        evento.preventDefault();
        setAtivo((i) => (i + 1) % total);
        return;
      case "ArrowUp":
        evento.preventDefault();
        setAtivo((i) => (i - 1 + total) % total);
        return;
      case "Home":
        evento.preventDefault();
        setAtivo(0);
        return;
      case "End":
        evento.preventDefault();
        setAtivo(total - 1);
        return;
      case "Escape":
        evento.preventDefault();
        evento.stopPropagation();
        fechar(true);
        return;
      case "Tab":
        fechar(false);
        return;
    }
    if (evento.key.length === 1 && /\S/.test(evento.key)) {
      const letra = evento.key.toLocaleLowerCase("pt-BR");
      for (let passo = 1; passo <= total; passo++) {
        const indice = (ativo + passo) % total;
        if (itens[indice]?.rotulo.toLocaleLowerCase("pt-BR").startsWith(letra)) {
          setAtivo(indice);
          return;
        }
      }
    }
  }

  return (
    <div className={`menu${className ? ` ${className}` : ""}`} ref={raiz}>
      <button
        ref={botao}
        type="button"
        className="btn-icone menu-botao"
        id={`${id}-botao`}
        aria-label={rotulo}
        title={desabilitado ? (motivoDesabilitado ?? rotulo) : rotulo}
        aria-haspopup="menu"
        aria-expanded={aberto}
        aria-controls={aberto ? `${id}-menu` : undefined}
        disabled={desabilitado}
        onClick={() => (aberto ? fechar(false) : abrir(0))}
        onKeyDown={teclaNoBotao}
      >
        {icone}
      </button>
      {aberto ? (
        <ul
          ref={lista}
          id={`${id}-menu`}
          className="menu-lista"
          role="menu"
          aria-labelledby={`${id}-botao`}
          onKeyDown={teclaNoMenu}
        >
          {itens.map((item, indice) => (
            <li
              key={item.id}
              role="none"
              className={item.grupo ? "menu-grupo" : undefined}
              onMouseMove={(e) => {
                // Only a real move: Chrome sends still "moves" when the menu appears
                // under the pointer, which would steal the keyboard's first item.
                if (e.movementX !== 0 || e.movementY !== 0) setAtivo(indice);
              }}
            >
              <button
                type="button"
                role="menuitem"
                aria-label={item.rotulo}
                aria-describedby={item.dica ? `${id}-dica-${indice}` : undefined}
                tabIndex={indice === ativo ? 0 : -1}
                className="menu-item"
                onClick={() => escolher(item)}
              >
                <span className="menu-item-rotulo">{item.rotulo}</span>
                {item.dica ? (
                  <span id={`${id}-dica-${indice}`} className="menu-item-dica">
                    {item.dica}
                  </span>
                ) : null}
              </button>
            </li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}
