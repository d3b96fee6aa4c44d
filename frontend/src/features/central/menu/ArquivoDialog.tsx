import { useState } from "react";
import { Campo } from "../../../components/Campo";
import { Contador, tamanho } from "../../../components/Contador";
import { Dialogo } from "../../../components/Dialogo";
import { useEnviarMidia } from "../../../lib/api/acoes";
import { formatarTamanho } from "../../../lib/format";
import { AcoesDialogo, ErroEnvio, type PropsDialogo } from "./comum";
import { ACCEPT_ARQUIVOS, LIMITES, TIPOS_ARQUIVO, tipoDoArquivo, validarArquivo } from "./limites";

/** A photo, audio, video or document; the API checks the content and may still refuse it. */
export function ArquivoDialog({ chamado, onFechar, onEnviado }: PropsDialogo) {
  const enviar = useEnviarMidia(chamado.id);
  const [arquivo, setArquivo] = useState<File | null>(null);
  const [caption, setCaption] = useState("");
  const [tentou, setTentou] = useState(false);
  const erroArquivo = arquivo
    ? validarArquivo(arquivo)
    : tentou
      ? "Escolha um arquivo para enviar."
      : null;
  const tipo = arquivo ? tipoDoArquivo(arquivo) : null;
  // WhatsApp shows no caption under a voice note.
  const comLegenda = tipo !== null && tipo.categoria !== "audio";
  const erroLegenda =
    comLegenda && tamanho(caption) > LIMITES.legenda
      ? `Legenda: no máximo ${LIMITES.legenda} caracteres (tem ${tamanho(caption)}).`
      : undefined;

  function escolher(lista: FileList | null) {
    if (enviar.error) enviar.reset();
    setArquivo(lista?.[0] ?? null);
  }

  function submeter(evento: React.FormEvent) {
    evento.preventDefault();
    if (enviar.isPending) return;
    setTentou(true);
    if (!arquivo || validarArquivo(arquivo) || erroLegenda) return;
    enviar.mutate(
      { arquivo, caption: comLegenda ? caption : "" },
      { onSuccess: (r) => onEnviado(r) },
    );
  }

  return (
    <Dialogo
      titulo="Anexar arquivo"
      subtitulo={`O arquivo vai para ${chamado.terceirizado.nome} pelo WhatsApp.`}
      onFechar={onFechar}
    >
      <form className="formulario" onSubmit={submeter} noValidate>
        <Campo rotulo="Arquivo" erro={erroArquivo ?? undefined}>
          <input type="file" accept={ACCEPT_ARQUIVOS} onChange={(e) => escolher(e.target.files)} />
        </Campo>
        {arquivo ? (
          <p className="arquivo-escolhido">
            <strong>{arquivo.name}</strong> · {formatarTamanho(arquivo.size)}
            {tipo ? ` · ${tipo.categoria}` : ""}
          </p>
        ) : null}
        <ul className="arquivo-limites" aria-label="Tipos e tamanhos aceitos">
          {TIPOS_ARQUIVO.map((t) => (
            <li key={t.categoria} className={tipo === t ? "ativo" : undefined}>
              {t.rotulo}
            </li>
          ))}
        </ul>
        {comLegenda ? (
          <Campo
            rotulo="Legenda (opcional)"
            erro={erroLegenda}
            contador={<Contador texto={caption} maximo={LIMITES.legenda} />}
          >
            <textarea rows={2} value={caption} onChange={(e) => setCaption(e.target.value)} />
          </Campo>
        ) : null}
        <ErroEnvio erro={enviar.error} />
        <AcoesDialogo ocupado={enviar.isPending} rotulo="Enviar arquivo" onFechar={onFechar} />
      </form>
    </Dialogo>
  );
}
